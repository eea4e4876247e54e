/** P4xxx: policy tokens (JWS packing, unpacking, verification). */
import type { CatalogEntry } from "./types.js";

export const jwtCodes = {} as const satisfies Record<string, CatalogEntry>;
