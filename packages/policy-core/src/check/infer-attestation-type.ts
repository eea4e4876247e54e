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
 * Adds (`sign` 1) or takes away (`sign` -1) the inference score of `summaries[from, to)` to
 * `score`, and returns it: the incremental analysis updates the previous score with the rules an
 * edit replaced instead of scoring every rule again.
 */
export function scoreSummaries(score: Map<AttestationType, number>, summaries: readonly RuleSummary[], from: number, to: number, sign: 1 | -1): Map<AttestationType, number> {
  for (let i = from; i < to; i++) {
    for (const t of (summaries[i] as RuleSummary).typedTests) for (const a of t.info.attestationTypes) score.set(a, (score.get(a) ?? 0) + sign);
  }
  return score;
}

/** The inferred type of a score: the highest, ties to the type listed first, none for a zero score. */
export function best(score: ReadonlyMap<AttestationType, number>): AttestationType | undefined {
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
