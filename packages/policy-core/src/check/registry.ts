/**
 * The list of every check, in code order. Adding a check means adding its file, its catalogue
 * entry, its docs page, its fixture, and one line here.
 */
import { actionOutsideSection } from "./action-outside-section.js";
import { alwaysPermits } from "./always-permits.js";
import { bidiControl } from "./bidi-control.js";
import { claimNotForAttestationType } from "./claim-not-for-attestation-type.js";
import { claimTypeWhitespace } from "./claim-type-whitespace.js";
import { claimValueTypeMismatch } from "./claim-value-type-mismatch.js";
import { configPropertyValue } from "./config-property-value.js";
import { confusableClaimType } from "./confusable-claim-type.js";
import { contradictoryCondition } from "./contradictory-condition.js";
import type { Check } from "./context.js";
import { debuggablePermitted } from "./debuggable-permitted.js";
import { deprecatedClaim } from "./deprecated-claim.js";
import { duplicateIssue } from "./duplicate-issue.js";
import { duplicateRule } from "./duplicate-rule.js";
import { duplicateSection } from "./duplicate-section.js";
import { functionArgumentType } from "./function-argument-type.js";
import { functionArity } from "./function-arity.js";
import { functionNotInVersion } from "./function-not-in-version.js";
import { identifierBoundTwice } from "./identifier-bound-twice.js";
import { identifierUsedBeforeBound } from "./identifier-used-before-bound.js";
import { invalidJmespath } from "./invalid-jmespath.js";
import { invisibleCharacter } from "./invisible-character.js";
import { jmespathBareLiteral } from "./jmespath-bare-literal.js";
import { jmespathQuotedNumber } from "./jmespath-quoted-number.js";
import { missingAuthorizationSection } from "./missing-authorization-section.js";
import { negationNotInVersion } from "./negation-not-in-version.js";
import { noReachablePermit } from "./no-reachable-permit.js";
import { orderingNonInteger } from "./ordering-non-integer.js";
import { placeholderInString } from "./placeholder-in-string.js";
import { policyClaimNeverAdded } from "./policy-claim-never-added.js";
import { readOnlyClaimIssued } from "./read-only-claim-issued.js";
import { sectionNotInVersion } from "./section-not-in-version.js";
import { sectionOutOfOrder } from "./section-out-of-order.js";
import { unboundIdentifier } from "./unbound-identifier.js";
import { unknownConfigProperty } from "./unknown-config-property.js";
import { unknownFunction } from "./unknown-function.js";
import { unknownServiceClaim } from "./unknown-service-claim.js";
import { unknownVersion } from "./unknown-version.js";
import { unusedIdentifier } from "./unused-identifier.js";

/** Every check run by `check()` (P2036 and P2037, about suppressions, run in `check()` itself). */
export const CHECKS: readonly Check[] = [
  unknownVersion,
  sectionNotInVersion,
  functionNotInVersion,
  negationNotInVersion,
  duplicateSection,
  sectionOutOfOrder,
  missingAuthorizationSection,
  actionOutsideSection,
  unboundIdentifier,
  identifierUsedBeforeBound,
  identifierBoundTwice,
  unusedIdentifier,
  unknownFunction,
  functionArity,
  functionArgumentType,
  invalidJmespath,
  jmespathBareLiteral,
  jmespathQuotedNumber,
  orderingNonInteger,
  claimValueTypeMismatch,
  unknownServiceClaim,
  claimTypeWhitespace,
  placeholderInString,
  policyClaimNeverAdded,
  readOnlyClaimIssued,
  noReachablePermit,
  alwaysPermits,
  duplicateRule,
  duplicateIssue,
  contradictoryCondition,
  unknownConfigProperty,
  debuggablePermitted,
  bidiControl,
  invisibleCharacter,
  confusableClaimType,
  claimNotForAttestationType,
  configPropertyValue,
  deprecatedClaim,
];
