/**
 * Conversion between UTF-16 offsets and zero-based line/character positions.
 *
 * A line ends at `\r\n`, `\n` or a lone `\r`, as in LSP.
 * Characters are UTF-16 code units, as in LSP's default position encoding.
 */

// CAUTION: public API
/** A zero-based line and UTF-16 character position, as in LSP. */
export interface LineCol {
  readonly line: number;
  readonly character: number;
}

// CAUTION: public API
/** Maps offsets to line/character positions and back, for one text. Build once, query many times. */
export class LineIndex {
  /** Offsets at which each line starts; `lineStarts[0]` is always 0. */
  readonly lineStarts: readonly number[];
  /** Offsets at which each line's content ends, before its line break. */
  readonly contentEnds: readonly number[];
  readonly length: number;

  constructor(text: string) {
    const starts = [0];
    const ends: number[] = [];
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) {
        ends.push(i);
        starts.push(i + 1);
      } else if (c === 13 /* \r */) {
        ends.push(i);
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    ends.push(n);
    this.lineStarts = starts;
    this.contentEnds = ends;
    this.length = n;
  }

  /** Number of lines (a text that ends with a newline has an empty last line). */
  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The line/character of `offset`; offsets out of bounds are clamped. */
  position(offset: number): LineCol {
    const o = Math.max(0, Math.min(offset, this.length));
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - (starts[lo] as number) };
  }

  /** The offset of a line/character; positions past a line's end are clamped to it, as LSP asks. */
  offset(pos: LineCol): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.lineStarts.length) return this.length;
    const start = this.lineStarts[pos.line] as number;
    const end = this.contentEnds[pos.line] as number;
    return Math.min(start + Math.max(0, pos.character), end);
  }

  /** The offset where `line`'s content ends (before its line break). */
  lineEnd(line: number): number {
    return this.contentEnds[Math.max(0, Math.min(line, this.contentEnds.length - 1))] as number;
  }

  /** The offset of the start of `line`. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))] as number;
  }

  /** The text of `line` without its line break. */
  lineText(text: string, line: number): string {
    return text.slice(this.lineStart(line), this.lineEnd(line));
  }
}
