/**
 * P2039 config-property-value: `issueproperty` sets a known configuration property with a value
 * of the wrong type (`omit_x5c` to `"true"`), a value outside its allowed set
 * (`x-ms-sgx-tcbidentifier` to `"20"`), or in a section where it has no effect
 * (`report_validity_in_minutes` in `configurationrules`). The service ignores or rejects such a
 * setting. When a string holds the right Boolean or integer, the fix removes the quotes.
 */
import { findConfigProperty } from "../claims/config-properties.js";
import { diagnostic } from "../diagnostics/diagnostic.js";
import { actionOf, argument } from "./facts.js";
import type { Check } from "./context.js";
import { literalConversion, literalType } from "./literal-conversion.js";

/** Check P2039 `config-property-value` (see the file comment). */
export const configPropertyValue: Check = {
  code: "P2039",
  scope: "rule",
  run(ctx) {
    for (const { rule, sectionName } of ctx.rules) {
      const action = actionOf(rule);
      if (action?.verb !== "issueproperty") continue;
      const t = argument(action, "type");
      if (t?.kind !== "StringLiteral") continue;
      const prop = findConfigProperty(t.value);
      if (!prop) continue;
      if (sectionName !== undefined && (sectionName === "configurationrules" || sectionName === "issuancerules") && !prop.sections.includes(sectionName)) {
        ctx.report(
          diagnostic("P2039", t.range, `\`${prop.name}\` has no effect in \`${sectionName}\`: set it in \`${prop.sections.join("` or `")}\``),
        );
      }
      const v = argument(action, "value");
      if (!v) continue;
      const actual = literalType(v);
      if (actual === undefined) continue;
      if (actual !== prop.valueType) {
        ctx.report(
          diagnostic("P2039", v.range, `\`${prop.name}\` takes ${prop.valueType === "Integer" ? "an" : "a"} ${prop.valueType}, not ${actual === "Integer" ? "an" : "a"} ${actual}`, {
            fix: literalConversion(v, prop.valueType),
          }),
        );
        continue;
      }
      if (prop.allowedValues && v.kind === "StringLiteral" && !prop.allowedValues.includes(v.value)) {
        ctx.report(
          diagnostic("P2039", v.range, `\`${v.value}\` is not a value of \`${prop.name}\`: expected ${prop.allowedValues.map((a) => `\`${a}\``).join(", ")}`),
        );
      }
    }
  },
};
