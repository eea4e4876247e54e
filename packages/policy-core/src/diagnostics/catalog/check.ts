/** P2xxx: static checks (the linter). */
import type { CatalogEntry } from "./types.js";

export const checkCodes = {} as const satisfies Record<string, CatalogEntry>;
