/**
 * Attestation type inference: the type whose evidence produces the most of the catalogued
 * claims the policy tests (claims common to every type do not count). Ties go to the type
 * listed first in `ATTESTATION_TYPES`; a policy that tests no typed claim has no inferred type.
 */
import { ATTESTATION_TYPES, findClaim, type AttestationType } from "../claims/catalog.js";
import type { PolicyFile } from "../syntax/ast.js";
import { conditionIssuer, conditionType } from "./facts.js";
import type { RuleSummary } from "./rule-summary.js";

/** Infers the attestation type of a policy from the claims it tests, or undefined. */
export function inferAttestationType(file: PolicyFile): AttestationType | undefined {
  const score = new Map<AttestationType, number>();
  for (const section of file.sections) {
    for (const rule of section.rules) {
      if (rule.kind !== "Rule") continue;
      for (const n of rule.conditions) {
        const issuer = conditionIssuer(n);
        if (issuer !== undefined && issuer !== "AttestationService") continue;
        const type = conditionType(n);
        const info = type !== undefined ? findClaim(type) : undefined;
        if (!info || info.attestationTypes.length === ATTESTATION_TYPES.length) continue;
        for (const t of info.attestationTypes) score.set(t, (score.get(t) ?? 0) + 1);
      }
    }
  }
  return best(score);
}

/**
 * `inferAttestationType` from the rules' summaries (whose typed tests are exactly the conditions
 * counted above), as `check` does it.
 */
export function inferFromSummaries(summaries: readonly RuleSummary[]): AttestationType | undefined {
  const score = new Map<AttestationType, number>();
  for (const s of summaries) {
    for (const t of s.typedTests) for (const a of t.info.attestationTypes) score.set(a, (score.get(a) ?? 0) + 1);
  }
  return best(score);
}

function best(score: ReadonlyMap<AttestationType, number>): AttestationType | undefined {
  let found: AttestationType | undefined;
  let bestScore = 0;
  for (const t of ATTESTATION_TYPES) {
    const s = score.get(t) ?? 0;
    if (s > bestScore) {
      found = t;
      bestScore = s;
    }
  }
  return found;
}
