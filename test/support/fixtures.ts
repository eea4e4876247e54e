/**
 * Locating fixture files.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** An absolute path below `test/fixtures`. */
export function fixturePath(...parts: string[]): string {
  return path.join(ROOT, "test", "fixtures", ...parts);
}

/** The files of a fixture directory with the given extension, sorted. */
export function listFixtures(dir: string, ext: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort();
}

/** Every `.policy` file below `dir`, at any depth. */
export function policiesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...policiesUnder(p));
    else if (e.name.endsWith(".policy")) out.push(p);
  }
  return out;
}
