/**
 * P2038 claim-not-for-attestation-type: a condition tests a catalogued service claim that the
 * policy's attestation type never produces (`secureBootEnabled` in an SGX policy), so it never
 * matches. The attestation type is the one given (`--attestation-type`, the `attestationType`
 * setting) or the one inferred from the catalogued claims the policy tests. Claims the policy
 * adds itself, or tested with another issuer, are not checked. No automatic fix.
 */
import { ATTESTATION_TYPES, findClaim } from "../claims/catalog.js";
import { diagnostic } from "../diagnostics/diagnostic.js";
import { addedTypes, conditionIssuer, literalTest } from "./facts.js";
import type { Check } from "./context.js";

/** Check P2038 `claim-not-for-attestation-type` (see the file comment). */
export const claimNotForAttestationType: Check = {
  code: "P2038",
  run(ctx) {
    const at = ctx.attestationType;
    if (!at) return;
    const added = new Set<string | undefined>();
    for (const { rule } of ctx.rules) {
      for (const c of rule.conditions) {
        const issuer = conditionIssuer(c);
        if (issuer !== undefined && issuer !== "AttestationService") continue;
        const t = literalTest(c, "type");
        if (!t || added.has(t.literal.value)) continue;
        const info = findClaim(t.literal.value);
        if (!info || info.attestationTypes.length === ATTESTATION_TYPES.length || info.attestationTypes.includes(at)) continue;
        ctx.report(
          diagnostic(
            "P2038",
            t.literal.range,
            `claim \`${info.type}\` is produced for ${info.attestationTypes.map((x) => `\`${x}\``).join(", ")}, not for \`${at}\`: this condition never matches`,
          ),
        );
      }
      for (const t of addedTypes(rule)) added.add(t);
    }
  },
};
