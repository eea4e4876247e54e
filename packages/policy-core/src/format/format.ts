/**
 * `format()` and `formatRange()`: the formatter's API, with its safety net.
 *
 * Safety is always on: a text with syntax errors is returned unchanged with its diagnostics; the
 * output is parsed again and must give the same tree (ignoring positions), the same comments in
 * the same order and the same byte-order mark, or the original text is returned with a P9001
 * internal-error diagnostic. The formatter therefore can change nothing but layout.
 */
import { diagnostic, hasErrors, type Diagnostic, type TextEdit } from "../diagnostics/diagnostic.js";
import type { Action, Argument, Comment, Condition, ErrorNode, Expr, PolicyFile, Rule, Section, Test } from "../syntax/ast.js";
import type { IToken } from "chevrotain";
import { parse, parseWithTokens } from "../syntax/parse.js";
import { range, type TextRange } from "../text/text-range.js";
import { CommentMap, FormatInternalError } from "./comments.js";
import { PolicyPrinter } from "./print-policy.js";
import { DocPrinter } from "./printer.js";

// CAUTION: public API
/** Layout options of the formatter. */
export interface FormatOptions {
  /** The line width to fit rules in (default 100). */
  readonly width?: number | undefined;
  /** Spaces per indentation level, or `"tab"` (default 4). */
  readonly indent?: number | "tab" | undefined;
  /** The line ending: `lf`, `crlf`, or `auto` (the one most used in the input; default). */
  readonly endOfLine?: "lf" | "crlf" | "auto" | undefined;
}

// CAUTION: public API
/** The result of `format`. */
export interface FormatResult {
  /** The formatted text, or the input unchanged when it has syntax errors or formatting failed. */
  readonly text: string;
  /** Whether `text` differs from the input. */
  readonly changed: boolean;
  /** The syntax errors that prevented formatting, or a P9001 internal error; empty on success. */
  readonly diagnostics: readonly Diagnostic[];
}

// CAUTION: public API
/** The result of `formatRange`. */
export interface FormatRangeResult {
  /** Edits to apply to the input (non-overlapping, in order); empty when nothing changes. */
  readonly edits: readonly TextEdit[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The default line width. */
export const DEFAULT_WIDTH = 100;
/** The default indentation: spaces per level. */
export const DEFAULT_INDENT = 4;

/** Formats a policy (see the module comment for the safety rules). Never throws. */
export function format(text: string, options: FormatOptions = {}): FormatResult {
  const attempt = formatText(text, options);
  if (attempt.kind === "failed") return { text, changed: false, diagnostics: attempt.diagnostics };
  return { text: attempt.text, changed: attempt.text !== text, diagnostics: [] };
}

/**
 * Formats the rules (and the version statement) that `target` touches, leaving the rest of the
 * text as it is: each touched rule is replaced by its formatted form, on lines of its own.
 * A range that covers the whole text formats the whole text. Never throws.
 */
export function formatRange(text: string, target: TextRange, options: FormatOptions = {}): FormatRangeResult {
  const attempt = formatText(text, options);
  if (attempt.kind === "failed") return { edits: [], diagnostics: attempt.diagnostics };
  const formatted = attempt.text;
  if (formatted === text) return { edits: [], diagnostics: [] };
  const bomLength = attempt.file.bom ? 1 : 0;
  if (target.start <= bomLength && target.end >= text.replace(/\s+$/, "").length) {
    return { edits: [{ range: range(0, text.length), newText: formatted }], diagnostics: [] };
  }
  const eol = eolFor(text, options);
  const edits: TextEdit[] = [];
  const touches = (r: TextRange) => r.start <= target.end && target.start <= r.end;
  const add = (original: TextRange, result: TextRange) => {
    let start = ownLineStart(text, original.start);
    const resultStart = ownLineStart(formatted, result.start);
    let newText = formatted.slice(resultStart, result.end);
    if (start === original.start && !atLineStart(text, start)) {
      // The rule shares its line with what precedes it: it moves to a line of its own.
      while (start > 0 && (text.charAt(start - 1) === " " || text.charAt(start - 1) === "\t")) start--;
      newText = eol + newText;
    }
    if (text.slice(start, original.end) !== newText) edits.push({ range: range(start, original.end), newText });
  };
  const a = attempt.file;
  const b = attempt.formattedFile;
  if (a.version && b.version && touches(a.version.range)) add(a.version.range, b.version.range);
  a.sections.forEach((section, si) => {
    if (!touches(section.range)) return;
    section.rules.forEach((rule, ri) => {
      const other = b.sections[si]?.rules[ri];
      if (other && touches(rule.range)) add(rule.range, other.range);
    });
  });
  if (edits.length === 0) return { edits: [], diagnostics: [] };
  const applied = applyEdits(text, edits);
  const check = parse(applied);
  if (hasErrors(check.diagnostics) || !sameTree(a, check.file) || !sameComments(a.comments, check.file.comments)) {
    return { edits: [], diagnostics: [internalError("range formatting would change the policy")] };
  }
  return { edits, diagnostics: [] };
}

type Attempt =
  | { readonly kind: "failed"; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: "ok"; readonly text: string; readonly file: PolicyFile; readonly formattedFile: PolicyFile };

function formatText(text: string, options: FormatOptions): Attempt {
  const parsed = parseWithTokens(text);
  if (hasErrors(parsed.diagnostics)) return { kind: "failed", diagnostics: parsed.diagnostics };
  let out: string;
  try {
    out = layout(text, parsed.file, parsed.tokens, options);
  } catch (e) {
    const why = e instanceof FormatInternalError ? e.message : "unexpected failure";
    return { kind: "failed", diagnostics: [internalError(`the formatter failed: ${why}`)] };
  }
  const again = parse(out);
  if (hasErrors(again.diagnostics)) return { kind: "failed", diagnostics: [internalError("the formatted text would not parse")] };
  if (!sameTree(parsed.file, again.file)) return { kind: "failed", diagnostics: [internalError("the formatted text would mean something else")] };
  if (!sameComments(parsed.file.comments, again.file.comments)) {
    return { kind: "failed", diagnostics: [internalError("the formatted text would lose or reorder a comment")] };
  }
  if (parsed.file.bom !== again.file.bom) return { kind: "failed", diagnostics: [internalError("the formatted text would change the byte-order mark")] };
  return { kind: "ok", text: out, file: parsed.file, formattedFile: again.file };
}

function layout(text: string, file: PolicyFile, lexed: readonly IToken[], options: FormatOptions): string {
  const eol = eolFor(text, options);
  const comments = new CommentMap(text, lexed, file.comments);
  const indentOption = options.indent ?? DEFAULT_INDENT;
  const spaces = typeof indentOption === "number" && Number.isFinite(indentOption) ? Math.max(0, Math.min(16, Math.trunc(indentOption))) : DEFAULT_INDENT;
  const indentUnit = indentOption === "tab" ? "\t" : " ".repeat(spaces);
  const width = options.width !== undefined && Number.isFinite(options.width) ? Math.max(1, Math.trunc(options.width)) : DEFAULT_WIDTH;
  const sink = new DocPrinter({ width, indentUnit, indentWidth: indentOption === "tab" ? DEFAULT_INDENT : spaces, eol });
  new PolicyPrinter(text, lexed, comments, eol).printFile(file, sink);
  const body = sink.finish();
  return (file.bom ? "\uFEFF" : "") + (body.length > 0 ? body + eol : "");
}

/** The line ending to write: the option, or for `auto` the one the text uses most (LF on a tie). */
export function eolFor(text: string, options: FormatOptions): "\n" | "\r\n" {
  const choice = options.endOfLine ?? "auto";
  if (choice === "lf") return "\n";
  if (choice === "crlf") return "\r\n";
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? "\r\n" : "\n";
}

/**
 * Equality of syntax trees ignoring positions, comments, the BOM flag and integer spellings:
 * the relation of `astEquals` (testing/strip-ranges.ts; a property test compares them), computed
 * field by field for each kind of node, without copying the trees or listing their keys.
 */
export function sameTree(a: PolicyFile, b: PolicyFile): boolean {
  const va = a.version;
  const vb = b.version;
  if (va === undefined || vb === undefined) {
    if (va !== vb) return false;
  } else if (va.value !== vb.value || !sameNumber(va.major, vb.major) || !sameNumber(va.minor, vb.minor)) return false;
  return sameList(a.sections, b.sections, sameSection);
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i] as T, b[i] as T)) return false;
  return true;
}

/** `===`, except that NaN equals NaN (as in `astEquals`, which compares JSON texts). */
function sameNumber(a: number | undefined, b: number | undefined): boolean {
  return a === b || (a !== a && b !== b);
}

function sameSection(a: Section, b: Section): boolean {
  return a.name === b.name && a.nameText === b.nameText && sameList(a.rules, b.rules, sameRule);
}

function sameRule(a: Rule | ErrorNode, b: Rule | ErrorNode): boolean {
  if (a.kind === "ErrorNode" || b.kind === "ErrorNode") return a.kind === b.kind;
  return sameList(a.conditions, b.conditions, sameCondition) && sameAction(a.action, b.action);
}

function sameAction(a: Action | ErrorNode, b: Action | ErrorNode): boolean {
  if (a.kind === "ErrorNode" || b.kind === "ErrorNode") return a.kind === b.kind;
  return a.verb === b.verb && a.verbText === b.verbText && sameList(a.args, b.args, sameArgument);
}

function sameCondition(a: Condition, b: Condition): boolean {
  if (a.negated !== b.negated || !sameList(a.tests, b.tests, sameTest)) return false;
  if (a.binding === undefined || b.binding === undefined) return a.binding === b.binding;
  return a.binding.name === b.binding.name;
}

function sameTest(a: Test | ErrorNode, b: Test | ErrorNode): boolean {
  if (a.kind === "ErrorNode" || b.kind === "ErrorNode") return a.kind === b.kind;
  return a.property === b.property && a.propertyText === b.propertyText && a.operator === b.operator && sameExpr(a.operand, b.operand);
}

function sameArgument(a: Argument, b: Argument): boolean {
  return a.name === b.name && a.nameText === b.nameText && sameExpr(a.value, b.value);
}

function sameExpr(a: Expr, b: Expr): boolean {
  switch (a.kind) {
    case "StringLiteral":
      return b.kind === "StringLiteral" && a.value === b.value;
    case "IntegerLiteral":
      return b.kind === "IntegerLiteral" && sameNumber(a.value, b.value);
    case "BooleanLiteral":
      return b.kind === "BooleanLiteral" && a.value === b.value;
    case "Identifier":
      return b.kind === "Identifier" && a.name === b.name;
    case "ValueRef":
      return b.kind === "ValueRef" && a.identifier.name === b.identifier.name;
    case "Call":
      return b.kind === "Call" && a.callee === b.callee && sameList(a.args, b.args, sameExpr);
    case "ErrorNode":
      return b.kind === "ErrorNode";
  }
}

function sameComments(a: readonly Comment[], b: readonly Comment[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if ((a[i] as Comment).text.trimEnd() !== (b[i] as Comment).text.trimEnd()) return false;
  }
  return true;
}

function internalError(why: string): Diagnostic {
  return diagnostic("P9001", range(0, 0), `internal error: ${why}: the text was left unchanged`);
}

/** The start of the line of `offset` when only blanks precede it there, else `offset`. */
function ownLineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && (text.charAt(i - 1) === " " || text.charAt(i - 1) === "\t")) i--;
  if (i === 0 || text.charAt(i - 1) === "\n" || text.charAt(i - 1) === "\r" || (i === 1 && text.charCodeAt(0) === 0xfeff)) return i;
  return offset;
}

function atLineStart(text: string, offset: number): boolean {
  return offset === 0 || text.charAt(offset - 1) === "\n" || text.charAt(offset - 1) === "\r";
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = "";
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.range.start) + e.newText;
    at = e.range.end;
  }
  return out + text.slice(at);
}
