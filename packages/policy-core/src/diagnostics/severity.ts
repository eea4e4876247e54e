/**
 * Diagnostic severities, in a module of their own: the catalogue and the diagnostic type both need
 * them, and the diagnostic type needs the catalogue.
 */

// CAUTION: public API
/** How serious a diagnostic is. */
export type Severity = "error" | "warning" | "info" | "hint";
