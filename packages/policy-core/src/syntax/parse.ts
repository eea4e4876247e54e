/**
 * `parse(text)`: the syntax API boundary. Never throws; returns a tree and every syntax diagnostic.
 */
import type { IToken } from "chevrotain";
import { diagnostic, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { range } from "../text/text-range.js";
import type { PolicyFile } from "./ast.js";
import { lexicalDiagnostics } from "./lexer.js";
import { Lowering } from "./lower.js";
import { parseTokens } from "./parser.js";
import { scan } from "./scanner.js";
import { LParen, RParen } from "./tokens.js";

// CAUTION: public API
/** The result of `parse`. */
export interface ParseResult {
  readonly file: PolicyFile;
  /** Syntax diagnostics, sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Calls nested deeper than this are cut (their arguments dropped) with one P1019 diagnostic. */
export const MAX_NESTING = 64;
/** At most this many syntax diagnostics are reported; one P9002 says the rest were dropped. */
export const MAX_SYNTAX_DIAGNOSTICS = 200;

/**
 * Parses a policy. Never throws: every input gives a tree (with error nodes where the parser
 * recovered) and its diagnostics, one per mistake.
 */
export function parse(text: string): ParseResult {
  const { file, diagnostics } = parseWithTokens(text);
  return { file, diagnostics };
}

/**
 * `parse`, also returning every significant token the lexer produced (before any nesting cut).
 * Internal: for phases that need the tokens too (the formatter), so that they do not lex twice.
 */
export function parseWithTokens(text: string): ParseResult & { readonly tokens: readonly IToken[]; readonly clean: boolean } {
  const scanned = scan(text);
  const diagnostics: Diagnostic[] = lexicalDiagnostics(text, scanned);
  const tokens = scanned.maxDepth <= MAX_NESTING ? scanned.tokens : limitNesting(scanned.tokens, diagnostics);
  const lowering = new Lowering({ text, tokens, comments: scanned.comments });
  const { cst, errors } = parseTokens(tokens, lowering);
  const lowered = lowering.file(cst, errors);
  diagnostics.push(...lowered.diagnostics);
  let sorted = sortDiagnostics(dedupe(diagnostics));
  // Clean: the parser recovered from nothing, so every rule's meaning and diagnostics depend on
  // its own text only (what the incremental re-parse relies on).
  const clean = lowered.clean && scanned.errors.length === 0 && tokens === scanned.tokens && sorted.length <= MAX_SYNTAX_DIAGNOSTICS;
  if (sorted.length > MAX_SYNTAX_DIAGNOSTICS) {
    const last = sorted[MAX_SYNTAX_DIAGNOSTICS - 1] as Diagnostic;
    const dropped = sorted.length - MAX_SYNTAX_DIAGNOSTICS;
    sorted = sorted.slice(0, MAX_SYNTAX_DIAGNOSTICS);
    sorted.push(diagnostic("P9002", range(last.range.end, last.range.end), `too many syntax errors: ${dropped} more not shown`));
  }
  return { file: lowered.file, diagnostics: sorted, tokens: scanned.tokens, clean };
}

/** Drops a diagnostic that repeats the code and range of an earlier one. */
export function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of list) {
    const key = `${d.code}:${d.range.start}:${d.range.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

/**
 * Cuts parentheses nested deeper than `MAX_NESTING`: the tokens inside a too-deep pair are
 * dropped, so that neither the parser nor any later recursive phase can overflow the stack.
 */
function limitNesting(tokens: IToken[], diagnostics: Diagnostic[]): IToken[] {
  let depth = 0;
  let max = 0;
  for (const t of tokens) {
    if (t.tokenType === LParen) {
      depth++;
      if (depth > max) max = depth;
    } else if (t.tokenType === RParen && depth > 0) depth--;
  }
  if (max <= MAX_NESTING) return tokens;
  const out: IToken[] = [];
  depth = 0;
  let skipping = false;
  let reported = false;
  for (const t of tokens) {
    if (t.tokenType === LParen) {
      depth++;
      if (depth === MAX_NESTING + 1) {
        skipping = true;
        if (!reported) {
          reported = true;
          diagnostics.push(
            diagnostic("P1019", range(t.startOffset, t.startOffset + 1), `calls are nested more than ${MAX_NESTING} deep: the innermost ones are not analysed`),
          );
        }
        continue;
      }
    } else if (t.tokenType === RParen && depth > 0) {
      depth--;
      if (depth === MAX_NESTING) {
        skipping = false;
        continue;
      }
    }
    if (!skipping) out.push(t);
  }
  return out;
}
