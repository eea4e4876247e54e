/**
 * Code lens on each section: "Evaluate with <claims file>", showing the decision of a dry run
 * inline when the claims file exists and the policy compiles. The lens runs the client command
 * `maa-policy.evaluate` with `{ uri, claimsPath }`. One more lens, "Compare with…", on the
 * version statement (or the first section) runs the client command `maa-policy.compare` with
 * `{ uri }`: the client asks for the other policy and sends `maa-policy/diff`.
 */
import { basename } from "node:path";
import * as lsp from "vscode-languageserver";
import type { Analysis } from "../analysis.js";
import { toRange } from "../convert/to-lsp.js";
import type { EvalResultJson } from "@maa-policy/core";

/** The client command a lens runs. */
export const EVALUATE_COMMAND = "maa-policy.evaluate";
/** The client command the "Compare with…" lens runs. */
export const COMPARE_COMMAND = "maa-policy.compare";

/** What the lens knows about the claims file. */
export interface LensClaims {
  readonly path: string | undefined;
  readonly exists: boolean;
  /** The dry run's outcome, when it could run; or the reason it could not. */
  readonly outcome: { readonly result: EvalResultJson } | { readonly error: string } | undefined;
}

/** One lens per section. */
export function codeLenses(a: Analysis, claims: LensClaims): lsp.CodeLens[] {
  let title: string;
  if (!claims.path) title = "Evaluate with…";
  else if (!claims.exists) title = `Evaluate with… (create ${basename(claims.path)})`;
  else if (claims.outcome && "result" in claims.outcome) {
    const r = claims.outcome.result;
    const issued = Array.isArray(r.outgoing) ? r.outgoing.length : 0;
    title = `Evaluate with ${basename(claims.path)}: ${r.decision}${r.decision === "permit" ? ` (${issued} claim${issued === 1 ? "" : "s"} issued)` : ""}`;
  } else if (claims.outcome && "error" in claims.outcome) title = `Evaluate with ${basename(claims.path)}: cannot run (${claims.outcome.error})`;
  else title = `Evaluate with ${basename(claims.path)}`;
  const lenses: lsp.CodeLens[] = a.file.sections
    .filter((s) => s.name !== undefined)
    .map((s) => ({
      range: toRange(a.lineIndex, s.nameRange),
      command: { title, command: EVALUATE_COMMAND, arguments: [{ uri: a.uri, ...(claims.path ? { claimsPath: claims.path } : {}) }] },
    }));
  const anchor = a.file.version?.range ?? a.file.sections.find((s) => s.name !== undefined)?.nameRange;
  if (anchor !== undefined) lenses.push({ range: toRange(a.lineIndex, anchor), command: { title: "Compare with…", command: COMPARE_COMMAND, arguments: [{ uri: a.uri }] } });
  return lenses;
}
