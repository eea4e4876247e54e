/**
 * Inline suppression: `// maa-policy-ignore P2012: reason` silences the listed codes on the next
 * rule (several codes may be listed, separated by commas; the reason is required). A comment that
 * silences nothing is reported (P2036 unused-suppression), and so is a malformed one (P2037
 * invalid-suppression).
 */
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { isDiagnosticCode } from "../diagnostics/catalog/index.js";
import type { Comment, PolicyFile, Rule } from "../syntax/ast.js";
import type { RuleEntry } from "./context.js";
import { range, type TextRange } from "../text/text-range.js";

/** One parsed suppression comment. */
export interface Suppression {
  readonly comment: Comment;
  readonly codes: readonly string[];
  /** The rule it applies to, or undefined when no rule follows the comment. */
  readonly rule: Rule | undefined;
}

const MARKER = /^\/\/\s*maa-policy-ignore\b(.*)$/;
const BODY = /^\s+(P\d{4}(?:\s*,\s*P\d{4})*)\s*:\s*(\S.*)$/;

/** Finds the suppression comments; malformed ones become P2037 diagnostics. */
export function parseSuppressions(file: PolicyFile, text: string, rules: readonly RuleEntry[]): { suppressions: Suppression[]; diagnostics: Diagnostic[] } {
  const suppressions: Suppression[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const comment of file.comments) {
    if (comment.block) continue;
    const m = MARKER.exec(comment.text);
    if (!m) continue;
    const body = BODY.exec(m[1] ?? "");
    if (!body) {
      diagnostics.push(
        diagnostic("P2037", comment.range, "malformed suppression: write `// maa-policy-ignore P2xxx: reason` (codes, a colon and a reason)"),
      );
      continue;
    }
    const codes = (body[1] ?? "").split(",").map((c) => c.trim());
    const unknown = codes.filter((c) => !isDiagnosticCode(c));
    if (unknown.length > 0) {
      diagnostics.push(diagnostic("P2037", codeRange(comment, text, unknown[0] as string), `unknown diagnostic code \`${unknown[0]}\` in suppression`));
      continue;
    }
    // The first rule that starts after the comment (rules are in source order).
    let lo = 0;
    let hi = rules.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((rules[mid] as RuleEntry).start >= comment.range.end) hi = mid;
      else lo = mid + 1;
    }
    suppressions.push({ comment, codes, rule: rules[lo]?.rule });
  }
  return { suppressions, diagnostics };
}

function codeRange(comment: Comment, text: string, code: string): TextRange {
  const at = text.indexOf(code, comment.range.start);
  return at >= 0 && at < comment.range.end ? range(at, at + code.length) : comment.range;
}

/**
 * Drops the diagnostics that a suppression covers and reports every suppression (or listed code)
 * that covered nothing.
 */
export function applySuppressions(diagnostics: readonly Diagnostic[], suppressions: readonly Suppression[], text: string): Diagnostic[] {
  const used = new Set<string>();
  const kept: Diagnostic[] = [];
  for (const d of diagnostics) {
    const s = suppressions.find(
      (x) => x.rule !== undefined && x.codes.includes(d.code) && d.range.start >= x.rule.range.start && d.range.start < x.rule.range.end,
    );
    if (s) used.add(`${s.comment.range.start}:${d.code}`);
    else kept.push(d);
  }
  for (const s of suppressions) {
    for (const code of s.codes) {
      if (used.has(`${s.comment.range.start}:${code}`)) continue;
      const why = s.rule ? `the next rule has no \`${code}\` diagnostic` : "no rule follows the comment";
      kept.push(
        diagnostic("P2036", codeRange(s.comment, text, code), `unused suppression of \`${code}\`: ${why}`, {
          tags: ["unnecessary"],
          fix: s.codes.length === 1 ? { title: "remove the suppression", edits: [{ range: s.comment.range, newText: "" }] } : undefined,
        }),
      );
    }
  }
  return kept;
}
