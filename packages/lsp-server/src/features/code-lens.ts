/**
 * Code lens on each section: "Evaluate with <claims file>", showing the decision of a dry run
 * inline when the claims file exists and the policy compiles. The lens runs the client command
 * `maa-policy.evaluate` with `{ uri, claimsPath }`. When the dry run cannot run (the policy has
 * errors, the claims file cannot be read), the lens says why and, clicked, leads to the fault: it
 * runs the server's own command `maa-policy.showFirstError` (`workspace/executeCommand`), which
 * asks the client to show that place (`window/showDocument`). One more lens, "Compare with…", on
 * the first section (after its evaluate lens) runs the client command `maa-policy.compare` with
 * `{ uri }`: the client asks for the other policy and sends `maa-policy/diff`.
 */
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import * as lsp from "vscode-languageserver";
import type { Analysis } from "../analysis.js";
import { toRange } from "../convert/to-lsp.js";
import type { EvalResultJson } from "@maa-policy/core";
import type { EvaluationBlocker } from "./custom-requests.js";

/** The client command a lens runs. */
export const EVALUATE_COMMAND = "maa-policy.evaluate";
/** The client command the "Compare with…" lens runs. */
export const COMPARE_COMMAND = "maa-policy.compare";

/** The server command a lens that cannot run leads to; its argument is a `ShowFirstErrorArgs`. */
export const SHOW_FIRST_ERROR_COMMAND = "maa-policy.showFirstError";

/** The argument of `maa-policy.showFirstError`: the place to show. */
export interface ShowFirstErrorArgs {
  readonly uri: string;
  readonly range: lsp.Range;
}

/** What the lens knows about the claims file. */
export interface LensClaims {
  readonly path: string | undefined;
  readonly exists: boolean;
  /** The dry run's outcome, when it could run; or the reason it could not, and where the fault is. */
  readonly outcome: { readonly result: EvalResultJson } | { readonly error: string; readonly blocker?: EvaluationBlocker | undefined } | undefined;
}

function blockerLocation(a: Analysis, blocker: EvaluationBlocker): ShowFirstErrorArgs {
  if (blocker.kind === "policy") return { uri: a.uri, range: toRange(a.lineIndex, blocker.range) };
  const start = { line: 0, character: 0 };
  return { uri: pathToFileURL(blocker.path).href, range: { start, end: start } };
}

/** One lens per section. */
export function codeLenses(a: Analysis, claims: LensClaims): lsp.CodeLens[] {
  let title: string;
  let command: lsp.Command | undefined;
  if (!claims.path) title = "Evaluate with…";
  else if (!claims.exists) title = `Evaluate with… (create ${basename(claims.path)})`;
  else if (claims.outcome && "result" in claims.outcome) {
    const r = claims.outcome.result;
    const issued = Array.isArray(r.outgoing) ? r.outgoing.length : 0;
    title = `Evaluate with ${basename(claims.path)}: ${r.decision}${r.decision === "permit" ? ` (${issued} claim${issued === 1 ? "" : "s"} issued)` : ""}`;
  } else if (claims.outcome && "error" in claims.outcome) {
    title = `Evaluate with ${basename(claims.path)}: cannot run (${claims.outcome.error})`;
    if (claims.outcome.blocker) {
      const place = blockerLocation(a, claims.outcome.blocker);
      command = { title, command: SHOW_FIRST_ERROR_COMMAND, arguments: [place] };
    }
  } else title = `Evaluate with ${basename(claims.path)}`;
  const evaluate: lsp.Command = { title, command: EVALUATE_COMMAND, arguments: [{ uri: a.uri, ...(claims.path ? { claimsPath: claims.path } : {}) }] };
  const lenses: lsp.CodeLens[] = a.file.sections
    .filter((s) => s.name !== undefined)
    .map((s) => ({ range: toRange(a.lineIndex, s.nameRange), command: command ?? evaluate }));
  // On the first section, after its evaluate lens (so that the evaluate lens stays the first one shown).
  const anchor = a.file.sections.find((s) => s.name !== undefined)?.nameRange;
  if (anchor !== undefined) lenses.push({ range: toRange(a.lineIndex, anchor), command: { title: "Compare with…", command: COMPARE_COMMAND, arguments: [{ uri: a.uri }] } });
  return lenses;
}
