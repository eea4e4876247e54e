/**
 * Which fixes are safe to apply without review (`maa-policy check --fix`): those that do not
 * change what an accepted policy does. Syntax repairs qualify (the service rejected the text
 * before) when they are unambiguous: straight quotes, `==` for `=`, a missing `;`, `=>` or
 * closing quote, a misspelled keyword, section or verb, a decimal for a hex literal, `//` for
 * block comments. So do fixes that raise the declared version, drop an unused binding or an
 * unused suppression, or spell out what a misplaced `issue` already does. Fixes that guess
 * (an argument name) or change a claim type, a value or a query are offered in the editor but
 * never applied in bulk.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { DiagnosticCode } from "../diagnostics/catalog/index.js";

// CAUTION: public API
/** The codes whose fixes `--fix` applies. */
export const SAFE_FIX_CODES: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>([
  "P1002",
  "P1003",
  "P1004",
  "P1005",
  "P1006",
  "P1007",
  "P1008",
  "P1009",
  "P1011",
  "P1012",
  "P1013",
  "P1014",
  "P1026",
  "P2002",
  "P2003",
  "P2004",
  "P2008",
  "P2012",
  "P2036",
]);

// CAUTION: public API
/** Whether a diagnostic has a fix that is safe to apply without review. */
export function hasSafeFix(d: Diagnostic): boolean {
  return d.fix !== undefined && SAFE_FIX_CODES.has(d.code);
}
