/**
 * What every check is given: the text, the tree, the effective version and attestation type, a
 * flat list of the rules with their sections, and a sink for diagnostics.
 */
import type { AttestationType } from "../claims/catalog.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { DiagnosticCode } from "../diagnostics/catalog/index.js";
import type { Node, NodeKind, PolicyFile, Rule, Section } from "../syntax/ast.js";
import type { SectionName } from "../syntax/tokens.js";
import type { TextRange } from "../text/text-range.js";
import type { RuleSummary } from "./summary.js";

/** A rule together with the section it stands in. */
export interface RuleEntry {
  /**
   * The rule. In the language server's incremental analysis the rules an edit did not touch are
   * moved to where they are only when this is read: a whole-policy check reads the summaries,
   * `start` and `end`, and the rule only of what it reports.
   */
  readonly rule: Rule;
  /** Where the rule starts and ends (`rule.range`, without moving the rule). */
  readonly start: number;
  readonly end: number;
  readonly section: Section;
  /** The section's name, or undefined when it is misspelled (already reported by the parser). */
  readonly sectionName: SectionName | undefined;
  /** The position of the rule in its section, from 0. */
  readonly index: number;
}

/** The input of one check run. */
export interface CheckContext {
  readonly text: string;
  readonly file: PolicyFile;
  /** The declared version when it is known, else `1.2` (unknown versions are analysed as 1.2). */
  readonly version: { readonly major: number; readonly minor: number };
  /** The attestation type given by the caller, or inferred from the claims the policy tests. */
  readonly attestationType: AttestationType | undefined;
  /** Every rule of every section, in source order. */
  readonly rules: readonly RuleEntry[];
  /** The summary of each rule of `rules`, at the same index (what the whole-policy checks combine). */
  readonly summaries: readonly RuleSummary[];
  /** The part of the text that checks of scope `"text"` look at: the whole text, or the run an edit re-parsed. */
  readonly textWindow: TextRange;
  /** The parser's diagnostics (so that a check does not report the same character twice). */
  readonly syntaxDiagnostics: readonly Diagnostic[];
  /** Every node of the given kind inside a rule, in source order, with its rule (one walk shared by all checks). */
  nodes<K extends NodeKind>(kind: K): readonly NodeInRule<Extract<Node, { kind: K }>>[];
  report(d: Diagnostic): void;
}

/** A node together with the rule that contains it. */
export interface NodeInRule<N extends Node> {
  readonly node: N;
  readonly rule: Rule;
}

/** One check: its code and the function that looks for it. */
export interface Check {
  readonly code: DiagnosticCode;
  /**
   * `"rule"`: what the check reports about a rule depends only on that rule, its section's name,
   * the version and the attestation type, and every range it reports (fixes and related
   * information included) lies inside that rule; it reads only `ctx.rules` and `ctx.nodes`, not
   * `ctx.file`'s other rules. The language server's incremental analysis then runs it on the
   * rules an edit touched only and reuses its diagnostics of the others.
   *
   * `"text"`: every diagnostic is about one character of the text, and depends on that character
   * and the syntax diagnostics only; the check looks at `ctx.textWindow` only. The incremental
   * analysis (whose parses have no syntax error) runs it on the re-parsed run of the text only.
   */
  readonly scope?: "rule" | "text";
  run(ctx: CheckContext): void;
}

/** Whether the effective version is at least `major.minor`. */
export function versionAtLeast(ctx: CheckContext, major: number, minor: number): boolean {
  return ctx.version.major > major || (ctx.version.major === major && ctx.version.minor >= minor);
}
