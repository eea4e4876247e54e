/** Shape of a catalogue entry. */
import type { Severity } from "../severity.js";

/** The phase that produces a diagnostic; each phase owns a range of codes. */
export type Phase = "syntax" | "check" | "eval" | "jwt" | "internal";

/** What the catalogue knows about one diagnostic code. */
export interface CatalogEntry {
  /** Kebab-case name, unique; the docs page is `docs/diagnostics/<code>-<slug>.md`. */
  readonly slug: string;
  readonly phase: Phase;
  /** The default severity (configurable for checks). */
  readonly severity: Severity;
  /** A one-line summary for documentation and rule listings. */
  readonly summary: string;
}
