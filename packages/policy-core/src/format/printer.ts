/**
 * `printDoc`: lays out a `Doc` within a line width (Wadler's algorithm with prettier's "fits").
 *
 * Iterative (an explicit command stack), so the depth of a document never touches the call stack.
 * Each group is printed flat when it and what follows it up to the next possible line break fit
 * in the remaining width; otherwise its lines break. Trailing whitespace is never printed.
 *
 * `DocPrinter` prints a document piece by piece, so that a long document (a policy of thousands
 * of rules) need never exist whole: the formatter prints each statement as soon as it is laid out
 * and its `Doc` dies young (issue 14). Printing the pieces one after the other gives the text
 * `printDoc` gives for their concatenation, provided each piece but the last is followed by a line
 * break in break mode (a `hardline`, or a `line` in a broken group) or is followed by nothing:
 * `fits` stops at that break in both cases (a property test compares them).
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
  const printer = new DocPrinter(options);
  printer.print(doc, 0);
  return printer.finish();
}

/** Prints documents one after the other into one text (see the module comment). */
export class DocPrinter {
  private readonly width: number;
  private readonly indentUnit: string;
  private readonly indentWidth: number;
  /** The text before the current line's (finished lines, and verbatim text, which is never trimmed). */
  private readonly out: string[] = [];
  /** The current line since its line break (or since verbatim text): the only text trailing whitespace is trimmed from. */
  private current = "";
  private column = 0;
  private lineHasContent = false;
  /** Set after a line comment: the next text starts on a new line. */
  private mustBreak = false;
  private suffixes: PendingSuffix[] = [];
  /** A line break followed by the indentation of each level, made once per level. */
  private readonly breaks: string[];
  // The command stack, as three parallel arrays (no object per command: less garbage).
  private readonly docs: Doc[] = [];
  private readonly levels: number[] = [];
  private readonly modes: Mode[] = [];
  // The fits stack, reused across calls.
  private readonly fitDocs: Doc[] = [];
  private readonly fitModes: Mode[] = [];

  constructor(options: PrintDocOptions) {
    this.width = options.width;
    this.indentUnit = options.indentUnit;
    this.indentWidth = options.indentWidth;
    this.breaks = [options.eol];
  }

  /** Prints `doc` at indentation `level`, in break mode, after what was printed before. */
  print(doc: Doc, level: number): void {
    this.push(level, BREAK, doc);
    this.run();
  }

  /** Prints the pending line suffixes; returns the whole text. */
  finish(): string {
    while (this.suffixes.length > 0) {
      this.flushSuffixes();
      this.run();
    }
    this.trimTrailing();
    this.out.push(this.current);
    this.current = "";
    return this.out.join("");
  }

  private push(level: number, mode: Mode, d: Doc): void {
    this.docs.push(d);
    this.levels.push(level);
    this.modes.push(mode);
  }

  private breakAt(level: number): string {
    const breaks = this.breaks;
    while (breaks.length <= level) breaks.push((breaks[breaks.length - 1] as string) + this.indentUnit);
    return breaks[level] as string;
  }

  private trimTrailing(): void {
    // Reading the line's last character also flattens the line into one string, which keeps the
    // final join fast (tracking instead whether the line ends in a blank measured slower).
    const c = this.current.charCodeAt(this.current.length - 1);
    if (c === 32 || c === 9) this.current = this.current.replace(/[ \t]+$/, "");
  }

  private newline(level: number): void {
    this.trimTrailing();
    this.out.push(this.current);
    this.current = this.breakAt(level);
    this.column = level * this.indentWidth;
    this.lineHasContent = false;
    this.mustBreak = false;
  }

  private emit(s: string, level: number): void {
    if (s.length === 0) return;
    // Most texts are tokens, which start with a printable ASCII character: no regular expression for them.
    const first = s.charCodeAt(0);
    const blank = first > 32 && first < 127 ? false : !NON_BLANK.test(s);
    // Spaces never start a line (after a line comment, the next text starts a new line anyway).
    if (blank && (this.mustBreak || !this.lineHasContent)) return;
    if (this.mustBreak) this.newline(level);
    this.current += s;
    this.column += s.length;
    if (!blank) this.lineHasContent = true;
  }

  /** Schedules the pending line suffixes before the command being processed (pushed back first). */
  private flushSuffixes(): void {
    const pending = this.suffixes;
    this.suffixes = [];
    for (let i = pending.length - 1; i >= 0; i--) {
      const s = pending[i] as PendingSuffix;
      this.push(s.level, s.mode, s.doc);
      if (i === 0) this.push(s.level, s.mode, s.lead);
      else this.push(s.level, BREAK, HARD_LINE);
    }
  }

  /** Whether `contents`, flat, and what follows it up to the next possible line break fit in the line. */
  private fits(level: number, contents: Doc): boolean {
    const { docs, modes, fitDocs, fitModes } = this;
    let remaining = this.width - (this.mustBreak ? level * this.indentWidth : this.column);
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
  }

  /** Runs the command stack until it is empty (pending line suffixes wait for the next line break). */
  private run(): void {
    const { docs, levels, modes } = this;
    while (docs.length > 0) {
      const d = docs.pop() as Doc;
      const level = levels.pop() as number;
      const mode = modes.pop() as Mode;
      if (typeof d === "string") {
        this.emit(d, level);
        continue;
      }
      switch (d.type) {
        case "concat":
          for (let i = d.parts.length - 1; i >= 0; i--) this.push(level, mode, d.parts[i] as Doc);
          break;
        case "indent":
          this.push(level + 1, mode, d.contents);
          break;
        case "group":
          if (mode === FLAT && !d.break) this.push(level, FLAT, d.contents);
          else this.push(level, !d.break && this.fits(level, d.contents) ? FLAT : BREAK, d.contents);
          break;
        case "line":
          if (mode === FLAT && !d.hard) {
            if (!d.soft) this.emit(" ", level);
          } else if (this.suffixes.length > 0) {
            this.push(level, mode, d);
            this.flushSuffixes();
          } else {
            this.newline(level);
          }
          break;
        case "breakParent":
          break;
        case "lineSuffix":
          this.suffixes.push({ level, mode, doc: d.contents, lead: d.lead });
          break;
        case "freshLine":
          if (this.lineHasContent) {
            if (this.suffixes.length > 0) {
              this.push(level, mode, d);
              this.flushSuffixes();
            } else this.newline(level);
          }
          break;
        case "lineComment":
          if (this.mustBreak) this.newline(level);
          this.current += (this.lineHasContent ? " " : "") + d.text;
          this.column += d.text.length + 1;
          this.lineHasContent = true;
          this.mustBreak = true;
          break;
        case "verbatim":
          if (this.suffixes.length > 0) {
            this.push(level, mode, d);
            this.flushSuffixes();
            break;
          }
          if (this.lineHasContent) this.newline(level);
          this.trimTrailing();
          this.out.push(this.current, d.text);
          this.current = "";
          this.column = d.text.length - Math.max(d.text.lastIndexOf("\n"), d.text.lastIndexOf("\r")) - 1;
          this.lineHasContent = true;
          this.mustBreak = true;
          break;
        default:
          assertNever(d);
      }
    }
  }
}
