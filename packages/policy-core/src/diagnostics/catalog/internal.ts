/** P9xxx: internal errors (bugs surfaced, never swallowed). */
import type { CatalogEntry } from "./types.js";

export const internalCodes = {
  P9001: { slug: "internal-error", phase: "internal", severity: "error", summary: "the toolchain hit a bug; the input was left unchanged" },
  P9002: { slug: "too-many-errors", phase: "internal", severity: "info", summary: "reporting stopped after too many syntax errors" },
} as const satisfies Record<string, CatalogEntry>;
