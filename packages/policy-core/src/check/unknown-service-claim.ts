/**
 * P2021 unknown-service-claim: a condition requires `issuer=="AttestationService"` for a claim
 * type that no attestation type produces and that no earlier rule adds, so it never matches.
 * Usually a typo of a catalogued claim; the fix replaces it with the closest catalogued type.
 * Unknown types without that issuer are fine: custom claims exist.
 */
import { CLAIMS, findClaim } from "../claims/catalog.js";
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { suggest } from "../util/suggest.js";
import { addedTypes, conditionIssuer, literalTest } from "./facts.js";
import type { Check } from "./context.js";

const TYPES = CLAIMS.map((c) => c.type);

/** Check P2021 `unknown-service-claim` (see the file comment). */
export const unknownServiceClaim: Check = {
  code: "P2021",
  run(ctx) {
    const added = new Set<string | undefined>();
    for (const { rule } of ctx.rules) {
      for (const c of rule.conditions) {
        if (conditionIssuer(c) !== "AttestationService") continue;
        const t = literalTest(c, "type");
        if (!t) continue;
        const type = t.literal.value;
        if (findClaim(type) || added.has(type) || added.has(undefined)) continue;
        if (type.trim() !== type && findClaim(type.trim())) continue;
        const guess = suggest(type, TYPES);
        ctx.report(
          diagnostic(
            "P2021",
            t.literal.range,
            `unknown claim \`${type}\`: no attestation type produces it, so \`issuer=="AttestationService"\` never matches${guess ? ` (did you mean \`${guess}\`?)` : ""}`,
            { fix: guess ? fixOf(`use \`${guess}\``, t.literal.range, JSON.stringify(guess)) : undefined },
          ),
        );
      }
      for (const t of addedTypes(rule)) added.add(t);
    }
  },
};
