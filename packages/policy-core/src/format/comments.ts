/**
 * Attaching comments to the token stream, so that the formatter prints every comment exactly once
 * and in order.
 *
 * The formatter re-lays out the source tokens without adding, removing or reordering any, so each
 * comment is placed by the tokens around it:
 * - a comment on the same line as the token before it is that token's **trailing** comment
 *   (printed after it, ending the line);
 * - any other comment is a **leading** comment of the token after it (printed on lines of its own
 *   before it). At statement level (before a rule, a section or the version) these are printed by
 *   the statement printer, which keeps blank lines; the leading comments of a `}` are the
 *   **dangling** comments of the section body (an empty section, or the end of one); the leading
 *   comments of the end of the file come last.
 */
import type { Comment } from "../syntax/ast.js";

/** A token as the formatter sees it: where it starts and how it is written (the scanner's tokens, as they are). */
export interface SourceToken {
  readonly startOffset: number;
  readonly image: string;
}

/** A comment with what the formatter needs to place it. */
export interface PlacedComment {
  readonly comment: Comment;
  /** The comment's text without trailing whitespace. */
  readonly text: string;
  /** Whether a blank line separates it from the token or comment before it. */
  readonly blankBefore: boolean;
}

const FORMAT_DIRECTIVE = /^\/\/\s*maa-policy-format\s+(off|on)\b/;

/** `off` or `on` when `commentText` is a `// maa-policy-format off|on` comment. */
export function formatDirective(commentText: string): "off" | "on" | undefined {
  const m = FORMAT_DIRECTIVE.exec(commentText);
  return m ? (m[1] as "off" | "on") : undefined;
}

/** Raised when the tree and the token stream disagree: the formatter gives up (P9001). */
export class FormatInternalError extends Error {
  override readonly name = "FormatInternalError";
}

/** Whether `s` (from `from` to `to`, by default all of it) holds at least two line breaks (`\r\n`, `\n` or a lone `\r` each count once). */
export function hasBlankLine(s: string, from = 0, to = s.length): boolean {
  let breaks = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || (c === 13 && (i + 1 >= to || s.charCodeAt(i + 1) !== 10))) {
      if (++breaks >= 2) return true;
    }
  }
  return false;
}

/** Whether `s` holds a line break from `from` to `to`. */
function hasLineBreak(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || c === 13) return true;
  }
  return false;
}

/** What a token without comments has (most tokens: no array is made for them). */
const NO_COMMENTS: readonly PlacedComment[] = Object.freeze([]);

/**
 * The comments of a text, split by token: `leading[i]` holds the own-line comments just before
 * token `i` (`i === tokens.length` for the end of the file), `trailing[i]` the same-line comment
 * just after token `i`. Taking them empties the slot, so nothing is printed twice; `remaining()`
 * says whether anything was left behind.
 */
export class CommentMap {
  private readonly leading: (PlacedComment[] | undefined)[];
  private readonly trailing: (PlacedComment | undefined)[];
  private left: number;

  constructor(
    readonly text: string,
    readonly tokens: readonly SourceToken[],
    private readonly comments: readonly Comment[],
  ) {
    this.leading = new Array<PlacedComment[] | undefined>(tokens.length + 1);
    this.trailing = new Array<PlacedComment | undefined>(tokens.length);
    this.left = comments.length;
    // The tokens that have comments (most have none: the passes below visit only these).
    const withLeading: number[] = [];
    const withTrailing: number[] = [];
    let t = 0;
    let lastEnd = 0;
    let lastTokenSeen = -1;
    let commentsSinceToken = false;
    for (const c of comments) {
      while (t < tokens.length && (tokens[t] as SourceToken).startOffset < c.range.start) {
        const tok = tokens[t] as SourceToken;
        lastEnd = tok.startOffset + tok.image.length;
        lastTokenSeen = t;
        commentsSinceToken = false;
        t++;
      }
      const placed: PlacedComment = {
        comment: c,
        text: c.text.replace(/[ \t\f\v]+$/, ""),
        blankBefore: hasBlankLine(text, lastEnd, c.range.start),
      };
      const sameLine = lastTokenSeen >= 0 && !commentsSinceToken && !hasLineBreak(text, lastEnd, c.range.start);
      if (sameLine) {
        this.trailing[lastTokenSeen] = placed;
        withTrailing.push(lastTokenSeen);
      } else {
        const list = this.leading[t];
        if (list === undefined) {
          this.leading[t] = [placed];
          withLeading.push(t);
        } else list.push(placed);
      }
      lastEnd = c.range.end;
      commentsSinceToken = true;
    }
    // `&&` or `=>` at the end of a line, then comments on lines of their own: the comments go
    // before the operator, which then starts the next condition or the action. (In token order:
    // the pass at `i` moves only `leading[i + 1]`, which no other pass reads first.)
    for (const next of withLeading) {
      const i = next - 1;
      if (i < 0 || next >= tokens.length) continue;
      const image = (tokens[i] as SourceToken).image;
      const after = this.leading[i + 1];
      const midRule = i > 0 && (tokens[i - 1] as SourceToken).image === "]";
      if ((image === "&&" || image === "=>") && midRule && after !== undefined && this.trailing[i] === undefined && after.every((c) => formatDirective(c.text) === undefined)) {
        this.leading[i] = [...(this.leading[i] ?? []), ...after];
        this.leading[i + 1] = undefined;
      }
    }
    // `a // note` followed by `,` or `;` on the next line: the comment goes after the `,` or `;`
    // (it keeps its place among the comments, since nothing stands between them), and on after
    // the next one when that is a `,` or `;` too.
    for (const start of withTrailing) {
      for (let i = start; i + 1 < tokens.length; i++) {
        const c = this.trailing[i];
        const after = (tokens[i + 1] as SourceToken).image;
        if (c === undefined || (after !== "," && after !== ";") || this.trailing[i + 1] !== undefined || this.leading[i + 1] !== undefined) break;
        this.trailing[i + 1] = c;
        this.trailing[i] = undefined;
      }
    }
  }

  /** Takes the own-line comments before token `i` (or the end of the file). */
  takeLeading(i: number): readonly PlacedComment[] {
    const list = this.leading[i];
    if (list === undefined) return NO_COMMENTS;
    this.leading[i] = undefined;
    this.left -= list.length;
    return list;
  }

  /** The own-line comments before token `i`, without taking them. */
  peekLeading(i: number): readonly PlacedComment[] {
    return this.leading[i] ?? NO_COMMENTS;
  }

  /** Takes the same-line comment after token `i`. */
  takeTrailing(i: number): PlacedComment | undefined {
    const c = this.trailing[i];
    if (c !== undefined) {
      this.trailing[i] = undefined;
      this.left--;
    }
    return c;
  }

  /** Drops (as printed verbatim) every comment that starts before `offset`. */
  consumeBefore(offset: number): void {
    for (let i = 0; i < this.leading.length; i++) {
      const list = this.leading[i];
      if (list === undefined) continue;
      const keep = list.filter((c) => c.comment.range.start >= offset);
      this.left -= list.length - keep.length;
      this.leading[i] = keep.length > 0 ? keep : undefined;
    }
    for (let i = 0; i < this.trailing.length; i++) {
      const c = this.trailing[i];
      if (c !== undefined && c.comment.range.start < offset) {
        this.trailing[i] = undefined;
        this.left--;
      }
    }
  }

  /** Whether a blank line separates token `i` from the token or comment before it (asked of statements' first tokens only, so found then). */
  blankBefore(i: number): boolean {
    const tok = this.tokens[i];
    if (tok === undefined) return false;
    const previous = i > 0 ? (this.tokens[i - 1] as SourceToken) : undefined;
    let from = previous ? previous.startOffset + previous.image.length : 0;
    // The last comment before the token, when it comes after the token before.
    let lo = 0;
    let hi = this.comments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.comments[mid] as Comment).range.start < tok.startOffset) lo = mid + 1;
      else hi = mid;
    }
    const c = this.comments[lo - 1];
    if (c !== undefined && c.range.start >= from) from = c.range.end;
    return hasBlankLine(this.text, from, tok.startOffset);
  }

  /** How many comments have not been taken yet. */
  remaining(): number {
    return this.left;
  }
}
