/**
 * Half-open ranges of UTF-16 code-unit offsets into a source text.
 *
 * These are JavaScript string indices, which are also LSP's default `utf-16` position encoding.
 */

// CAUTION: public API
/** A half-open range `[start, end)` of UTF-16 code-unit offsets into the source text. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/** Makes a range; `end` is clamped so that it never precedes `start`. */
export function range(start: number, end: number): TextRange {
  return { start, end: end < start ? start : end };
}

/** The zero-width range at `offset`. */
export function emptyRange(offset: number): TextRange {
  return { start: offset, end: offset };
}

/** The smallest range that covers both `a` and `b`. */
export function coverRanges(a: TextRange, b: TextRange): TextRange {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** Whether `inner` lies within `outer` (bounds included). */
export function rangeContains(outer: TextRange, inner: TextRange): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** Whether `offset` lies in `r`, counting the end position as inside (as editors do for a caret). */
export function rangeTouches(r: TextRange, offset: number): boolean {
  return r.start <= offset && offset <= r.end;
}

/** The text covered by `r`. */
export function sliceRange(text: string, r: TextRange): string {
  return text.slice(r.start, r.end);
}
