/**
 * The document IR of the formatter (Wadler's "prettier printer", as in prettier).
 *
 * A `Doc` describes text with optional line breaks; `printDoc` (printer.ts) chooses, group by
 * group, whether the breaks are taken. Builders compute on construction whether a doc contains a
 * forced break, so that every enclosing group is known to break without a second traversal.
 */

/** A document: plain text, or one of the layout commands below. */
export type Doc = string | DocCommand;

/** The non-text documents. */
export type DocCommand =
  | Concat
  | Group
  | Indent
  | Line
  | BreakParent
  | LineSuffix
  | FreshLine
  | LineComment
  | Verbatim;

/** A sequence of documents. */
export interface Concat {
  readonly type: "concat";
  readonly parts: readonly Doc[];
  /** Whether a forced break (hard line, comment…) occurs inside. */
  readonly hard: boolean;
}

/** Contents printed flat when they fit in the remaining width, with every line broken otherwise. */
export interface Group {
  readonly type: "group";
  readonly contents: Doc;
  /** Set when the contents hold a forced break: the group can never be flat. */
  readonly break: boolean;
  readonly hard: boolean;
}

/** Contents whose line breaks are followed by one more indentation level. */
export interface Indent {
  readonly type: "indent";
  readonly contents: Doc;
  readonly hard: boolean;
}

/**
 * A possible line break: a space when flat (`soft`: nothing when flat); `hard` always breaks.
 */
export interface Line {
  readonly type: "line";
  readonly soft: boolean;
  readonly hard: boolean;
}

/** Forces the enclosing groups to break. */
export interface BreakParent {
  readonly type: "breakParent";
  readonly hard: true;
}

/**
 * Contents printed at the end of the current line, just before its line break. `lead` is printed
 * before the first suffix of a line; further suffixes pending on the same line go on lines of their own.
 */
export interface LineSuffix {
  readonly type: "lineSuffix";
  readonly contents: Doc;
  readonly lead: string;
  readonly hard: boolean;
}

/** A line break unless the current line is still empty (only indentation). */
export interface FreshLine {
  readonly type: "freshLine";
  readonly hard: true;
}

/**
 * A `//` comment that ends its line where it stands: it is printed after one space, and whatever
 * text comes next starts on a new line.
 */
export interface LineComment {
  readonly type: "lineComment";
  readonly text: string;
  readonly hard: true;
}

/**
 * Text copied as is (it may hold line breaks, already in the output's line ending), starting at
 * the beginning of a line: the indentation printed before it is removed.
 */
export interface Verbatim {
  readonly type: "verbatim";
  readonly text: string;
  readonly hard: true;
}

/** Whether `doc` holds a forced break. */
export function hasHardBreak(doc: Doc): boolean {
  return typeof doc === "string" ? false : doc.hard;
}

/** A sequence of documents (nested arrays are accepted and kept as they are). */
export function concat(parts: readonly Doc[]): Doc {
  if (parts.length === 1) return parts[0] as Doc;
  let hard = false;
  for (const p of parts) {
    if (typeof p !== "string" && p.hard) {
      hard = true;
      break;
    }
  }
  return { type: "concat", parts, hard };
}

/** Plain text (must not contain line breaks). */
export function text(s: string): Doc {
  return s;
}

/** A group: flat when it fits, broken otherwise (always broken when it holds a forced break). */
export function group(contents: Doc, options: { shouldBreak?: boolean } = {}): Group {
  const hard = hasHardBreak(contents);
  return { type: "group", contents, break: hard || options.shouldBreak === true, hard };
}

/** Indents the line breaks of `contents` by one more level. */
export function indent(contents: Doc): Indent {
  return { type: "indent", contents, hard: hasHardBreak(contents) };
}

/** A space when flat, a line break otherwise. */
export const line: Line = { type: "line", soft: false, hard: false };
/** Nothing when flat, a line break otherwise. */
export const softline: Line = { type: "line", soft: true, hard: false };
/** Forces its enclosing groups to break. */
export const breakParent: BreakParent = { type: "breakParent", hard: true };
const hardLineCommand: Line = { type: "line", soft: false, hard: true };
/** A line break, always (and its enclosing groups break). */
export const hardline: Doc = { type: "concat", parts: [hardLineCommand, breakParent], hard: true };
/** A line break unless the current line is empty. */
export const freshLine: FreshLine = { type: "freshLine", hard: true };

/** Defers `contents` to the end of the current line (see `LineSuffix`). */
export function lineSuffix(contents: Doc, lead = ""): LineSuffix {
  return { type: "lineSuffix", contents, lead, hard: hasHardBreak(contents) };
}

/** A `//` comment that ends the current line (see `LineComment`). */
export function lineComment(commentText: string): LineComment {
  return { type: "lineComment", text: commentText, hard: true };
}

/** Text kept exactly as written, from the start of a line (see `Verbatim`). */
export function verbatim(verbatimText: string): Verbatim {
  return { type: "verbatim", text: verbatimText, hard: true };
}

/** Joins `docs` with `separator`. */
export function join(separator: Doc, docs: readonly Doc[]): Doc {
  const parts: Doc[] = [];
  docs.forEach((d, i) => {
    if (i > 0) parts.push(separator);
    parts.push(d);
  });
  return concat(parts);
}
