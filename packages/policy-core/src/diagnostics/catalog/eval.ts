/** P3xxx: evaluation. */
import type { CatalogEntry } from "./types.js";

export const evalCodes = {} as const satisfies Record<string, CatalogEntry>;
