/**
 * P2038 claim-not-for-attestation-type: a condition tests a catalogued service claim that the
 * policy's attestation type never produces (`secureBootEnabled` in an SGX policy), so it never
 * matches. The attestation type is the one given (`--attestation-type`, the `attestationType`
 * setting) or the one inferred from the catalogued claims the policy tests. Claims the policy
 * adds itself, or tested with another issuer, are not checked. No automatic fix.
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import type { Check, RuleEntry } from "./context.js";
import { addedBefore, at, firstAdded, type RuleSummary } from "./rule-summary.js";

/** Check P2038 `claim-not-for-attestation-type` (see the file comment). */
export const claimNotForAttestationType: Check = {
  code: "P2038",
  run(ctx) {
    const type = ctx.attestationType;
    if (!type) return;
    const { rules, summaries } = ctx;
    const first = firstAdded(summaries);
    for (let i = 0; i < rules.length; i++) {
      const entry = rules[i] as RuleEntry;
      const s = summaries[i] as RuleSummary;
      // The summary's typed tests: conditions without an issuer or with the service's, testing a
      // catalogued claim that not every attestation type produces.
      for (const t of s.typedTests) {
        if (addedBefore(first, t.type, i) || t.info.attestationTypes.includes(type)) continue;
        ctx.report(
          diagnostic(
            "P2038",
            at(s, entry.start, t.range),
            `claim \`${t.info.type}\` is produced for ${t.info.attestationTypes.map((x) => `\`${x}\``).join(", ")}, not for \`${type}\`: this condition never matches`,
          ),
        );
      }
    }
  },
};
