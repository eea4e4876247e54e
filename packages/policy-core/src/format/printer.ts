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

interface Command {
  readonly level: number;
  readonly mode: Mode;
  readonly doc: Doc;
}

interface PendingSuffix {
  readonly level: number;
  readonly mode: Mode;
  readonly doc: Doc;
  readonly lead: string;
}

const HARD_LINE: Doc = { type: "line", soft: false, hard: true };

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
  const cmds: Command[] = [{ level: 0, mode: BREAK, doc }];

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
    // Spaces never start a line (after a line comment, the next text starts a new line anyway).
    if ((mustBreak || !lineHasContent) && !/\S/.test(s)) return;
    if (mustBreak) newline(level);
    out.push(s);
    column += s.length;
    if (!lineHasContent && /\S/.test(s)) lineHasContent = true;
  };
  /** Schedules the pending line suffixes before the command being processed (pushed back first). */
  const flushSuffixes = (): void => {
    const pending = suffixes;
    suffixes = [];
    for (let i = pending.length - 1; i >= 0; i--) {
      const s = pending[i] as PendingSuffix;
      cmds.push({ level: s.level, mode: s.mode, doc: s.doc });
      if (i === 0) cmds.push({ level: s.level, mode: s.mode, doc: s.lead });
      else cmds.push({ level: s.level, mode: BREAK, doc: HARD_LINE });
    }
  };

  const fits = (next: Command): boolean => {
    let remaining = width - (mustBreak ? next.level * indentWidth : column);
    const stack: [Mode, Doc][] = [[next.mode, next.doc]];
    let restIndex = cmds.length - 1;
    while (remaining >= 0) {
      let item = stack.pop();
      if (item === undefined) {
        if (restIndex < 0) return true;
        const c = cmds[restIndex--] as Command;
        item = [c.mode, c.doc];
      }
      const [mode, d] = item;
      if (typeof d === "string") {
        remaining -= d.length;
        continue;
      }
      switch (d.type) {
        case "concat":
          for (let i = d.parts.length - 1; i >= 0; i--) stack.push([mode, d.parts[i] as Doc]);
          break;
        case "indent":
          stack.push([mode, d.contents]);
          break;
        case "group":
          stack.push([d.break ? BREAK : mode, d.contents]);
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

  for (;;) {
    const cmd = cmds.pop();
    if (cmd === undefined) {
      if (suffixes.length === 0) break;
      flushSuffixes();
      continue;
    }
    const { level, mode, doc: d } = cmd;
    if (typeof d === "string") {
      emit(d, level);
      continue;
    }
    switch (d.type) {
      case "concat":
        for (let i = d.parts.length - 1; i >= 0; i--) cmds.push({ level, mode, doc: d.parts[i] as Doc });
        break;
      case "indent":
        cmds.push({ level: level + 1, mode, doc: d.contents });
        break;
      case "group": {
        if (mode === FLAT && !d.break) {
          cmds.push({ level, mode: FLAT, doc: d.contents });
        } else {
          const flat = !d.break && fits({ level, mode: FLAT, doc: d.contents });
          cmds.push({ level, mode: flat ? FLAT : BREAK, doc: d.contents });
        }
        break;
      }
      case "line":
        if (mode === FLAT && !d.hard) {
          if (!d.soft) emit(" ", level);
        } else if (suffixes.length > 0) {
          cmds.push(cmd);
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
            cmds.push(cmd);
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
          cmds.push(cmd);
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
