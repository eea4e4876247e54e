/**
 * Code lens on each section: "Evaluate with <claims file>", showing the decision of a dry run
 * inline when the claims file exists and the policy compiles. The file may also hold attestation
 * evidence (an attest request body, a quote or report): the lens then says whether the evidence
 * was refused. The lens runs the client command `maa-policy.evaluate` with `{ uri, claimsPath }`.
 */
import { basename } from "node:path";
import * as lsp from "vscode-languageserver";
import type { Analysis } from "../analysis.js";
import { toRange } from "../convert/to-lsp.js";
import type { EvaluateResultJson } from "./custom-requests.js";

/** The client command a lens runs. */
export const EVALUATE_COMMAND = "maa-policy.evaluate";

/** What the lens knows about the claims file. */
export interface LensClaims {
  readonly path: string | undefined;
  readonly exists: boolean;
  /** The dry run's outcome, when it could run; or the reason it could not. */
  readonly outcome: { readonly result: EvaluateResultJson } | { readonly error: string } | undefined;
}

/** One lens per section. */
export function codeLenses(a: Analysis, claims: LensClaims): lsp.CodeLens[] {
  let title: string;
  if (!claims.path) title = "Evaluate with…";
  else if (!claims.exists) title = `Evaluate with… (create ${basename(claims.path)})`;
  else if (claims.outcome && "result" in claims.outcome) {
    const r = claims.outcome.result;
    const issued = Array.isArray(r.outgoing) ? r.outgoing.length : 0;
    const ev = r.evidence;
    if (ev !== undefined && !ev.verified) {
      const failed = ev.checks.find((c) => c.status === "failed");
      title = `Evaluate with ${basename(claims.path)}: ${ev.type} evidence refused${failed ? ` (${failed.title})` : ""}`;
    } else {
      const what = ev !== undefined ? `${ev.type} evidence verified: ` : "";
      title = `Evaluate with ${basename(claims.path)}: ${what}${r.decision}${r.decision === "permit" ? ` (${issued} claim${issued === 1 ? "" : "s"} issued)` : ""}`;
    }
  } else if (claims.outcome && "error" in claims.outcome) title = `Evaluate with ${basename(claims.path)}: cannot run (${claims.outcome.error})`;
  else title = `Evaluate with ${basename(claims.path)}`;
  return a.file.sections
    .filter((s) => s.name !== undefined)
    .map((s) => ({
      range: toRange(a.lineIndex, s.nameRange),
      command: { title, command: EVALUATE_COMMAND, arguments: [{ uri: a.uri, ...(claims.path ? { claimsPath: claims.path } : {}) }] },
    }));
}
