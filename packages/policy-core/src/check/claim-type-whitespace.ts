/**
 * P2022 claim-type-whitespace: a claim type with leading or trailing spaces (`" x-ms-sgx-svn"`).
 * Claim types are compared exactly, so the test never matches the claim the author meant (an
 * official sample has this mistake). The fix removes the spaces.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import type { StringLiteral } from "../syntax/ast.js";
import type { Check, CheckContext } from "./context.js";

/** Every string literal that names a claim type: `type==…` operands and `type=…` arguments. */
export function claimTypeLiterals(ctx: CheckContext): StringLiteral[] {
  const out: StringLiteral[] = [];
  for (const { node: n } of ctx.nodes("Test")) if (n.property === "type" && n.operand.kind === "StringLiteral") out.push(n.operand);
  for (const { node: n } of ctx.nodes("Argument")) if (n.name === "type" && n.value.kind === "StringLiteral") out.push(n.value);
  return out;
}

/** Check P2022 `claim-type-whitespace` (see the file comment). */
export const claimTypeWhitespace: Check = {
  code: "P2022",
  scope: "rule",
  run(ctx) {
    for (const lit of claimTypeLiterals(ctx)) {
      const v = lit.value;
      if (v.trim() === v || v.trim() === "") continue;
      const trimmed = v.trim();
      const raw = ctx.text.slice(lit.range.start, lit.range.end);
      const fixed = raw.charAt(0) === '"' ? `"${raw.slice(1, -1).trim()}"` : JSON.stringify(trimmed);
      ctx.report(
        diagnostic("P2022", lit.range, `claim type \`${v}\` has ${v.trimStart() !== v ? "leading" : "trailing"} spaces: types are compared exactly`, {
          fix: fixOf(`remove the spaces`, lit.range, fixed),
        }),
      );
    }
  },
};
