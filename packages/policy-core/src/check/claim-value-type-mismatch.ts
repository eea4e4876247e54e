/**
 * P2020 claim-value-type-mismatch: a condition tests a claim whose value type the catalogue
 * knows (`x-ms-sgx-svn` is an Integer) against a literal of another type (`value == "2"`).
 * Values of different types are never equal, so the test never matches (or, with `!=`, always
 * does). The fix converts the literal when the conversion is exact (`"2"` → `2`, `"true"` →
 * `true`). Claims the policy itself issues (`issuer=="AttestationPolicy"`) are not checked.
 */
import { findClaim } from "../claims/catalog.js";
import { diagnostic } from "../diagnostics/diagnostic.js";
import { conditionIssuer, conditionType, testsOf } from "./facts.js";
import type { Check } from "./context.js";
import { literalConversion, literalType } from "./literal-conversion.js";

/** Check P2020 `claim-value-type-mismatch` (see the file comment). */
export const claimValueTypeMismatch: Check = {
  code: "P2020",
  scope: "rule",
  run(ctx) {
    for (const { rule } of ctx.rules) {
      for (const c of rule.conditions) {
        const type = conditionType(c);
        const info = type !== undefined ? findClaim(type) : undefined;
        if (!info || info.valueType === "Json") continue;
        const issuer = conditionIssuer(c);
        if (issuer !== undefined && issuer !== "AttestationService") continue;
        for (const t of testsOf(c)) {
          if (t.property !== "value") continue;
          const actual = literalType(t.operand);
          if (actual === undefined || actual === info.valueType) continue;
          // An ordering operator on a non-integer literal is reported by P2019 already.
          if (t.operator !== "==" && t.operator !== "!=" && actual !== "Integer") continue;
          ctx.report(
            diagnostic(
              "P2020",
              t.operand.range,
              `claim \`${info.type}\` is ${info.valueType === "Integer" ? "an" : "a"} ${info.valueType} but is compared with ${actual === "Integer" ? "an" : "a"} ${actual}: values of different types are never equal`,
              { fix: literalConversion(t.operand, info.valueType) },
            ),
          );
        }
      }
    }
  },
};
