/**
 * P2016 invalid-jmespath: the literal query given to `JmesPath` is not valid JMESPath, or calls a
 * function the dialect lacks (standard JMESPath plus `equals_ignore_case`). The query is parsed
 * with the real JMESPath parser and the error is reported at its exact place inside the string.
 * Evaluation would fail. No automatic fix.
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import { suggest } from "../util/suggest.js";
import { JMESPATH_FUNCTIONS, analyseQuery, literalQueries, problemRange } from "./jmespath-analysis.js";
import type { Check } from "./context.js";

/** Check P2016 `invalid-jmespath` (see the file comment). */
export const invalidJmespath: Check = {
  code: "P2016",
  scope: "rule",
  run(ctx) {
    for (const { literal } of literalQueries(ctx)) {
      const a = analyseQuery(literal.value);
      if (a.error) {
        ctx.report(diagnostic("P2016", problemRange(ctx.text, literal, a.error), `invalid JMESPath query: ${a.error.message}`));
      }
      for (const f of a.unknownFunctions) {
        const guess = suggest(f.message, JMESPATH_FUNCTIONS);
        ctx.report(
          diagnostic(
            "P2016",
            problemRange(ctx.text, literal, f),
            `invalid JMESPath query: unknown function \`${f.message}\`${guess ? ` (did you mean \`${guess}\`?)` : ""}`,
          ),
        );
      }
    }
  },
};
