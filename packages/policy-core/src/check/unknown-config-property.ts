/**
 * P2031 unknown-config-property: `issueproperty` sets a property the service does not know
 * (section 9 of the language reference lists them); the service ignores it. When a known
 * property has a close name the fix uses it.
 */
import { CONFIG_PROPERTIES, findConfigProperty } from "../claims/config-properties.js";
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { suggest } from "../util/suggest.js";
import { actionOf, argument } from "./facts.js";
import type { Check } from "./context.js";

const NAMES = CONFIG_PROPERTIES.map((p) => p.name);

/** Check P2031 `unknown-config-property` (see the file comment). */
export const unknownConfigProperty: Check = {
  code: "P2031",
  scope: "rule",
  run(ctx) {
    for (const { rule } of ctx.rules) {
      const action = actionOf(rule);
      if (action?.verb !== "issueproperty") continue;
      const t = argument(action, "type");
      if (t?.kind !== "StringLiteral" || findConfigProperty(t.value)) continue;
      const guess = suggest(t.value, NAMES);
      ctx.report(
        diagnostic(
          "P2031",
          t.range,
          `unknown configuration property \`${t.value}\`${guess ? ` (did you mean \`${guess}\`?)` : `: the known ones are ${NAMES.map((n) => `\`${n}\``).join(", ")}`}`,
          { fix: guess ? fixOf(`use \`${guess}\``, t.range, JSON.stringify(guess)) : undefined },
        ),
      );
    }
  },
};
