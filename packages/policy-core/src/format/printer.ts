/**
 * `printDoc`: lays out a `Doc` within a line width (Wadler's algorithm with prettier's "fits").
 *
 * Iterative (an explicit command stack), so the depth of a document never touches the call stack.
 * Each group is printed flat when it and what follows it up to the next possible line break fit
 * in the remaining width; otherwise its lines break. Trailing whitespace is never printed.
 */
import { assertNever } from "../util/assert-never.js";
import type { Doc } from "./doc.js";

/** Layout options of `printDoc`. */
export interface PrintDocOptions {
  /** The maximum line width the printer aims for. */
  readonly width: number;
  /** One level of indentation (`"    "` or `"\t"`). */
  readonly indentUnit: string;
  /** The width one indentation level counts for (a tab counts as this many columns). */
  readonly indentWidth: number;
  /** The line ending written for every line break. */
  readonly eol: string;
}

const FLAT = 0;
const BREAK = 1;
type Mode = typeof FLAT | typeof BREAK;

interface PendingSuffix {
  readonly level: number;
  readonly mode: Mode;
  readonly doc: Doc;
  readonly lead: string;
}

const HARD_LINE: Doc = { type: "line", soft: false, hard: true };
const NON_BLANK = /\S/;

/** Prints `doc`; the result has no trailing whitespace on any line. */
export function printDoc(doc: Doc, options: PrintDocOptions): string {
  const { width, indentUnit, indentWidth, eol } = options;
  const out: string[] = [];
  /** `out` entries below this index are never trimmed (verbatim text). */
  let trimFloor = 0;
  let column = 0;
  let lineHasContent = false;
  /** Set after a line comment: the next text starts on a new line. */
  let mustBreak = false;
  let suffixes: PendingSuffix[] = [];
  const indents: string[] = [""];
  const indentOf = (level: number): string => {
    while (indents.length <= level) indents.push((indents[indents.length - 1] as string) + indentUnit);
    return indents[level] as string;
  };
  // The command stack, as three parallel arrays (no object per command: less garbage).
  const docs: Doc[] = [doc];
  const levels: number[] = [0];
  const modes: Mode[] = [BREAK];
  const push = (level: number, mode: Mode, d: Doc): void => {
    docs.push(d);
    levels.push(level);
    modes.push(mode);
  };

  const trimTrailing = (): void => {
    while (out.length > trimFloor) {
      const last = out[out.length - 1] as string;
      const trimmed = last.replace(/[ \t]+$/, "");
      if (trimmed.length === last.length) return;
      if (trimmed.length === 0) {
        out.pop();
        continue;
      }
      out[out.length - 1] = trimmed;
      return;
    }
  };
  const newline = (level: number): void => {
    trimTrailing();
    out.push(eol + indentOf(level));
    column = level * indentWidth;
    lineHasContent = false;
    mustBreak = false;
  };
  const emit = (s: string, level: number): void => {
    if (s.length === 0) return;
    const blank = !NON_BLANK.test(s);
    // Spaces never start a line (after a line comment, the next text starts a new line anyway).
    if (blank && (mustBreak || !lineHasContent)) return;
    if (mustBreak) newline(level);
    out.push(s);
    column += s.length;
    if (!blank) lineHasContent = true;
  };
  /** Schedules the pending line suffixes before the command being processed (pushed back first). */
  const flushSuffixes = (): void => {
    const pending = suffixes;
    suffixes = [];
    for (let i = pending.length - 1; i >= 0; i--) {
      const s = pending[i] as PendingSuffix;
      push(s.level, s.mode, s.doc);
      if (i === 0) push(s.level, s.mode, s.lead);
      else push(s.level, BREAK, HARD_LINE);
    }
  };

  // The fits stack, reused across calls.
  const fitDocs: Doc[] = [];
  const fitModes: Mode[] = [];
  const fits = (level: number, contents: Doc): boolean => {
    let remaining = width - (mustBreak ? level * indentWidth : column);
    fitDocs.length = 0;
    fitModes.length = 0;
    fitDocs.push(contents);
    fitModes.push(FLAT);
    let restIndex = docs.length - 1;
    while (remaining >= 0) {
      let d: Doc;
      let mode: Mode;
      if (fitDocs.length > 0) {
        d = fitDocs.pop() as Doc;
        mode = fitModes.pop() as Mode;
      } else {
        if (restIndex < 0) return true;
        d = docs[restIndex] as Doc;
        mode = modes[restIndex] as Mode;
        restIndex--;
      }
      if (typeof d === "string") {
        remaining -= d.length;
        continue;
      }
      switch (d.type) {
        case "concat":
          for (let i = d.parts.length - 1; i >= 0; i--) {
            fitDocs.push(d.parts[i] as Doc);
            fitModes.push(mode);
          }
          break;
        case "indent":
          fitDocs.push(d.contents);
          fitModes.push(mode);
          break;
        case "group":
          fitDocs.push(d.contents);
          fitModes.push(d.break ? BREAK : mode);
          break;
        case "line":
          if (mode === BREAK || d.hard) return true;
          if (!d.soft) remaining -= 1;
          break;
        case "breakParent":
        case "lineSuffix":
          break;
        case "freshLine":
        case "lineComment":
        case "verbatim":
          return true;
        default:
          assertNever(d);
      }
    }
    return false;
  };

  while (docs.length > 0 || suffixes.length > 0) {
    if (docs.length === 0) {
      flushSuffixes();
      continue;
    }
    const d = docs.pop() as Doc;
    const level = levels.pop() as number;
    const mode = modes.pop() as Mode;
    if (typeof d === "string") {
      emit(d, level);
      continue;
    }
    switch (d.type) {
      case "concat":
        for (let i = d.parts.length - 1; i >= 0; i--) push(level, mode, d.parts[i] as Doc);
        break;
      case "indent":
        push(level + 1, mode, d.contents);
        break;
      case "group":
        if (mode === FLAT && !d.break) push(level, FLAT, d.contents);
        else push(level, !d.break && fits(level, d.contents) ? FLAT : BREAK, d.contents);
        break;
      case "line":
        if (mode === FLAT && !d.hard) {
          if (!d.soft) emit(" ", level);
        } else if (suffixes.length > 0) {
          push(level, mode, d);
          flushSuffixes();
        } else {
          newline(level);
        }
        break;
      case "breakParent":
        break;
      case "lineSuffix":
        suffixes.push({ level, mode, doc: d.contents, lead: d.lead });
        break;
      case "freshLine":
        if (lineHasContent) {
          if (suffixes.length > 0) {
            push(level, mode, d);
            flushSuffixes();
          } else newline(level);
        }
        break;
      case "lineComment":
        if (mustBreak) newline(level);
        out.push((lineHasContent ? " " : "") + d.text);
        column += d.text.length + 1;
        lineHasContent = true;
        mustBreak = true;
        break;
      case "verbatim":
        if (suffixes.length > 0) {
          push(level, mode, d);
          flushSuffixes();
          break;
        }
        if (lineHasContent) newline(level);
        trimTrailing();
        out.push(d.text);
        trimFloor = out.length;
        column = d.text.length - Math.max(d.text.lastIndexOf("\n"), d.text.lastIndexOf("\r")) - 1;
        lineHasContent = true;
        mustBreak = true;
        break;
      default:
        assertNever(d);
    }
  }
  trimTrailing();
  return out.join("");
}
