/**
 * LSP values to core values: positions to offsets, ranges to `TextRange`s.
 */
import type { TextRange } from "@maa-policy/core";
import type { PositionMap } from "./to-lsp.js";
import type * as lsp from "vscode-languageserver";

/** An LSP position as an offset (clamped to the text, as LSP asks). */
export function fromPosition(index: PositionMap, position: lsp.Position): number {
  return index.offset(position);
}

/** An LSP range as a core range. */
export function fromRange(index: PositionMap, range: lsp.Range): TextRange {
  const start = index.offset(range.start);
  const end = index.offset(range.end);
  return start <= end ? { start, end } : { start: end, end: start };
}

/** Whether an LSP diagnostic carries the core range the server put in its `data`. */
export function coreRangeOf(diagnostic: lsp.Diagnostic): TextRange | undefined {
  const data = diagnostic.data as unknown;
  if (typeof data !== "object" || data === null) return undefined;
  const { start, end } = data as { start?: unknown; end?: unknown };
  if (typeof start === "number" && typeof end === "number") return { start, end };
  return undefined;
}
