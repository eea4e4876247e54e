/**
 * Prose about the language's keywords, sections and actions, shown by hover and completion.
 * The word lists themselves come from policy-core; this file only describes them.
 */
import type { ActionName, SectionName } from "@maa-policy/core";

/** What a section is for, and from which version it exists. */
export const SECTION_DOCS: Readonly<Record<SectionName, string>> = {
  configurationrules:
    "Sets engine properties with `issueproperty(…)` before anything else runs (for example the SGX TCB baseline). Version 1.1 and later; must come first.",
  authorizationrules:
    "Decides whether attestation may go on: any `deny()` that runs denies; otherwise at least one `permit()` must run. Required.",
  issuancerules:
    "Builds the attestation token: `issue(…)` adds claims to the token, `add(…)` to the incoming set, `issueproperty(…)` to the token properties. Optional; comes last.",
};

/** The sections an action is allowed in. */
export const ACTION_SECTIONS: Readonly<Record<ActionName, readonly SectionName[]>> = {
  permit: ["authorizationrules"],
  deny: ["authorizationrules"],
  add: ["authorizationrules", "issuancerules"],
  issue: ["issuancerules"],
  issueproperty: ["configurationrules", "issuancerules"],
};

/** What an action does. */
export const ACTION_DOCS: Readonly<Record<ActionName, string>> = {
  permit: "Votes to continue to issuance. The decision is permit when at least one `permit()` ran and no `deny()` did.",
  deny: "Fails the attestation: the decision is deny even if a `permit()` also ran.",
  add: "Adds a claim to the incoming set, so that later rules see it; it does not reach the token.",
  issue: "Adds a claim to the incoming and outgoing sets: it appears in the attestation token.",
  issueproperty: "Adds a claim to the property set: engine settings (in configurationrules) and token properties.",
};

/** What the other keywords mean. */
export const KEYWORD_DOCS: Readonly<Record<string, string>> = {
  version: "`version=MAJOR.MINOR;` comes first. Known versions: `1.0`, `1.1` (adds `configurationrules`) and `1.2` (adds the claim functions).",
  type: "The claim type: an arbitrary, case-sensitive string such as `x-ms-sgx-svn`.",
  value: "The claim value: a Boolean, an Integer or a String. `c.value` stands for the values of the claims bound to `c`.",
  issuer:
    "Who produced the claim: `AttestationService` (from the evidence), `AttestationPolicy` (added by this policy) or `CustomClaim` (supplied by the client).",
  claim: "`issue(claim=c)` re-emits every claim bound to `c` with its type and value.",
  valueType: "`valueType=\"Integer\"` sets the value type of a claim built by an action (accepted with a warning: undocumented for MAA).",
  true: "The Boolean true.",
  false: "The Boolean false.",
};

/** The issuer values a claim can have. */
export const ISSUERS: readonly { readonly name: string; readonly description: string }[] = [
  { name: "AttestationService", description: "claims parsed from the evidence by the attestation service" },
  { name: "AttestationPolicy", description: "claims added by this policy (`add`, `issue`, `issueproperty`)" },
  { name: "CustomClaim", description: "claims supplied by the client (the default when an input claim names no issuer)" },
];

/** The value types an action may set with `valueType=`. */
export const VALUE_TYPES: readonly string[] = ["Boolean", "Integer", "String"];
