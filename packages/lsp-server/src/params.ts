/**
 * Validation of request parameters: a malformed request is answered with `InvalidParams`.
 */
import * as lsp from "vscode-languageserver";

/** An `InvalidParams` error with `message`. */
export function invalidParams(message: string): lsp.ResponseError<void> {
  return new lsp.ResponseError(lsp.ErrorCodes.InvalidParams, message);
}

/** `params.textDocument.uri`. */
export function uriOf(params: unknown): string {
  const td = (params as { textDocument?: { uri?: unknown } } | null | undefined)?.textDocument;
  if (!td || typeof td.uri !== "string") throw invalidParams("expected `textDocument.uri` (a string)");
  return td.uri;
}

function isPosition(p: unknown): p is lsp.Position {
  if (typeof p !== "object" || p === null) return false;
  const { line, character } = p as { line?: unknown; character?: unknown };
  return typeof line === "number" && typeof character === "number" && line >= 0 && character >= 0;
}

/** `params.position`. */
export function positionOf(params: unknown): lsp.Position {
  const p = (params as { position?: unknown } | null | undefined)?.position;
  if (!isPosition(p)) throw invalidParams("expected `position` with non-negative `line` and `character`");
  return p;
}

/** `params.range`. */
export function rangeOf(params: unknown): lsp.Range {
  const r = (params as { range?: { start?: unknown; end?: unknown } } | null | undefined)?.range;
  if (!r || typeof r !== "object" || !isPosition(r.start) || !isPosition(r.end)) throw invalidParams("expected `range` with `start` and `end` positions");
  return r as lsp.Range;
}

/** `params.positions`. */
export function positionsOf(params: unknown): lsp.Position[] {
  const ps = (params as { positions?: unknown } | null | undefined)?.positions;
  if (!Array.isArray(ps)) throw invalidParams("expected `positions` (an array)");
  return ps as lsp.Position[];
}
