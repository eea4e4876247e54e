/**
 * Plain-text and JSON renderings of diagnostics, for the CLI and for golden files.
 */
import { LineIndex, type LineCol } from "../text/line-index.js";
import type { Diagnostic, Fix } from "./diagnostic.js";

/** Options of `renderDiagnostic`. */
export interface RenderOptions {
  /** The file name shown before the position. */
  readonly fileName?: string;
  /** Wrap severities and carets in ANSI colours. */
  readonly color?: boolean;
  /** Reuse a line index when rendering many diagnostics of one text. */
  readonly lineIndex?: LineIndex;
}

const COLORS = { error: "\x1b[31m", warning: "\x1b[33m", info: "\x1b[36m", hint: "\x1b[2m" } as const;
const RESET = "\x1b[0m";
const BOLD = "\x1b[1m";

/** Replaces control characters and tabs so that a source line prints on one terminal line. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\t/g, " ").replace(/[\u0000-\u001f\u007f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, "\u00b7");
}

/**
 * Renders one diagnostic as
 * `file:line:col: severity CODE: message`, then the source line and a caret underline.
 * Lines and columns are one-based, as editors and compilers print them.
 */
export function renderDiagnostic(text: string, d: Diagnostic, options: RenderOptions = {}): string {
  const index = options.lineIndex ?? new LineIndex(text);
  const start = index.position(d.range.start);
  const end = index.position(d.range.end);
  const where = `${options.fileName ?? "<input>"}:${start.line + 1}:${start.character + 1}`;
  const color = options.color === true;
  const sev = color ? `${COLORS[d.severity]}${BOLD}${d.severity}${RESET}` : d.severity;
  const lines = [`${where}: ${sev} ${d.code}: ${d.message}`];
  const lineText = index.lineText(text, start.line);
  const maxShown = 200;
  const from = Math.max(0, start.character - 80);
  const shown = printable(lineText.slice(from, from + maxShown));
  const gutter = String(start.line + 1);
  const pad = " ".repeat(gutter.length);
  const caretStart = start.character - from;
  const caretEnd = end.line === start.line ? end.character - from : shown.length;
  const width = Math.max(1, Math.min(caretEnd, shown.length + 1) - caretStart);
  const carets = "^".repeat(width);
  lines.push(`${pad} |`);
  lines.push(`${gutter} | ${from > 0 ? "…" : ""}${shown}`);
  lines.push(
    `${pad} | ${from > 0 ? " " : ""}${" ".repeat(Math.max(0, caretStart))}${color ? COLORS[d.severity] + carets + RESET : carets}`,
  );
  if (d.fix) lines.push(`${pad} = fix: ${d.fix.title}`);
  for (const r of d.related ?? []) {
    const p = index.position(r.range.start);
    lines.push(`${pad} = note: ${options.fileName ?? "<input>"}:${p.line + 1}:${p.character + 1}: ${r.message}`);
  }
  return lines.join("\n");
}

/** A zero-based LSP-style range. */
export interface JsonRange {
  readonly start: LineCol;
  readonly end: LineCol;
}

/** The JSON form of a diagnostic, with zero-based LSP-style positions. */
export interface JsonDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly range: JsonRange;
  readonly offsets: { readonly start: number; readonly end: number };
  readonly fixes: readonly { readonly title: string; readonly edits: readonly { readonly range: JsonRange; readonly newText: string }[] }[];
  readonly related?: readonly { readonly range: JsonRange; readonly message: string }[];
  readonly tags?: readonly string[];
}

/** Converts a diagnostic to its JSON form. */
export function diagnosticToJson(d: Diagnostic, index: LineIndex): JsonDiagnostic {
  const conv = (r: { start: number; end: number }): JsonRange => ({ start: index.position(r.start), end: index.position(r.end) });
  const fixes = d.fix ? [fixToJson(d.fix, conv)] : [];
  const out: JsonDiagnostic = {
    code: d.code,
    severity: d.severity,
    message: d.message,
    range: conv(d.range),
    offsets: { start: d.range.start, end: d.range.end },
    fixes,
    ...(d.related ? { related: d.related.map((r) => ({ range: conv(r.range), message: r.message })) } : {}),
    ...(d.tags ? { tags: d.tags } : {}),
  };
  return out;
}

function fixToJson(fix: Fix, conv: (r: { start: number; end: number }) => JsonRange) {
  return { title: fix.title, edits: fix.edits.map((e) => ({ range: conv(e.range), newText: e.newText })) };
}
