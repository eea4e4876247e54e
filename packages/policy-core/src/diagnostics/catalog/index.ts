/**
 * The catalogue of every diagnostic code, assembled from one file per phase.
 *
 * Code ranges: P1xxx syntax, P2xxx checks, P3xxx evaluation, P4xxx tokens (JWS), P5xxx evidence
 * (P5001-P5199 Intel and input forms, P5200-P5299 AMD SEV-SNP and HCL), P9xxx internal.
 * A code, once released, is stable; its docs page is `docs/diagnostics/<code>-<slug>.md`.
 */
import { checkCodes } from "./check.js";
import { evalCodes } from "./eval.js";
import { evidenceCodes } from "./evidence.js";
import { evidenceAmdCodes } from "./evidence-amd.js";
import { internalCodes } from "./internal.js";
import { jwtCodes } from "./jwt.js";
import { syntaxCodes } from "./syntax.js";
import type { CatalogEntry } from "./types.js";

export type { CatalogEntry, Phase } from "./types.js";

// CAUTION: public API
/** Every diagnostic code with its slug, phase, default severity and summary. */
export const catalog = {
  ...syntaxCodes,
  ...checkCodes,
  ...evalCodes,
  ...jwtCodes,
  ...evidenceCodes,
  ...evidenceAmdCodes,
  ...internalCodes,
} as const satisfies Record<string, CatalogEntry>;

// CAUTION: public API
/** A catalogued diagnostic code. */
export type DiagnosticCode = keyof typeof catalog;

/** Whether `code` is a catalogued diagnostic code. */
export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return Object.prototype.hasOwnProperty.call(catalog, code);
}

/** The docs path of a code, relative to the repository root. */
export function docsPath(code: DiagnosticCode): string {
  return `docs/diagnostics/${code}-${catalog[code].slug}.md`;
}
