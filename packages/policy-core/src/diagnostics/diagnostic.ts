/**
 * The one diagnostic type shared by every phase (syntax, checks, evaluation, packing).
 */
import type { TextRange } from "../text/text-range.js";
import { catalog, type DiagnosticCode } from "./catalog/index.js";
import type { Severity } from "./severity.js";

// CAUTION: public API
export type { Severity } from "./severity.js";

// CAUTION: public API
/** Replace the text in `range` with `newText`. */
export interface TextEdit {
  readonly range: TextRange;
  readonly newText: string;
}

// CAUTION: public API
/** A machine-applicable repair: apply all its edits together. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

// CAUTION: public API
/** Another place in the same text that explains a diagnostic. */
export interface RelatedInformation {
  readonly range: TextRange;
  readonly message: string;
}

// CAUTION: public API
/** A problem found in a policy. */
export interface Diagnostic {
  /** Stable, catalogued code such as `P1004`. */
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** Never absent, always within the text (zero-width allowed). */
  readonly range: TextRange;
  /** One line, lowercase first letter, no final period, user input in backticks. */
  readonly message: string;
  readonly fix?: Fix;
  readonly related?: readonly RelatedInformation[];
  readonly tags?: readonly ("unnecessary" | "deprecated")[];
}

/** Optional parts of a diagnostic. */
export interface DiagnosticOptions {
  readonly fix?: Fix | undefined;
  readonly related?: readonly RelatedInformation[] | undefined;
  readonly tags?: readonly ("unnecessary" | "deprecated")[] | undefined;
  /** Overrides the catalogue's default severity. */
  readonly severity?: Severity | undefined;
}

/** Makes a diagnostic with the catalogue's default severity for `code`. */
export function diagnostic(
  code: DiagnosticCode,
  range: TextRange,
  message: string,
  options: DiagnosticOptions = {},
): Diagnostic {
  const d: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = {
    code,
    severity: options.severity ?? catalog[code].severity,
    range,
    message,
  };
  if (options.fix) d.fix = options.fix;
  if (options.related && options.related.length > 0) d.related = options.related;
  if (options.tags && options.tags.length > 0) d.tags = options.tags;
  return d;
}

/** A fix of one edit. */
export function fixOf(title: string, range: TextRange, newText: string): Fix {
  return { title, edits: [{ range, newText }] };
}

/** Whether any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Sorts diagnostics by position, then code; stable for equal keys. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.range.start - b.range.start || a.range.end - b.range.end || a.code.localeCompare(b.code),
  );
}

/**
 * Applies the edits of `fixes` to `text`. Edits are applied from the end so offsets stay valid;
 * an edit that overlaps one already applied is skipped (its fix can be applied in a later pass).
 */
export function applyFixes(text: string, fixes: readonly Fix[]): string {
  const edits: TextEdit[] = [];
  for (const fix of fixes) edits.push(...fix.edits);
  edits.sort((a, b) => b.range.start - a.range.start || b.range.end - a.range.end);
  let out = text;
  let floor = Number.POSITIVE_INFINITY;
  for (const e of edits) {
    if (e.range.end > floor) continue;
    out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
    floor = e.range.start;
  }
  return out;
}
