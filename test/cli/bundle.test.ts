/**
 * The shipped bundle (`npm run build`'s packages/cli/dist/maa-policy.mjs and its chunks) loads a
 * command's modules only when that command runs: `check`, `fmt` and the other policy commands do
 * not load the service's Fastify or the evidence verifier's X.509 and ASN.1 libraries, which are
 * most of the bundle and most of the start-up time they would add to every CI lint (bench:lint).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { commands } from "../../packages/cli/src/commands/index.js";
import { ROOT } from "../support/fixtures.js";

const DIST = path.join(ROOT, "packages", "cli", "dist");
const ENTRY = path.join(DIST, "maa-policy.mjs");

/** The files a bundle file loads as soon as it is imported: itself and its static imports, transitively. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s*"(\.[^"]+)"|^import\s*"(\.[^"]+)"/gm)) {
    staticClosure(path.resolve(path.dirname(file), m[1] ?? m[2] ?? ""), seen);
  }
  return seen;
}

/** The files a bundle file may ever load: its static imports and its dynamic `import()`s, transitively. */
function fullClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  for (const f of staticClosure(file)) {
    seen.add(f);
    for (const m of readFileSync(f, "utf8").matchAll(/\bimport\("(\.[^"]+)"\)/g)) fullClosure(path.resolve(path.dirname(f), m[1] ?? ""), seen);
  }
  return seen;
}

/** The source modules in a set of bundle files (esbuild heads each with a `// path` comment). */
function modulesIn(files: Iterable<string>): string[] {
  const out: string[] = [];
  for (const f of files) for (const m of readFileSync(f, "utf8").matchAll(/^\/\/ ((?:node_modules|packages)\/\S+)$/gm)) out.push(m[1] ?? "");
  return out;
}

/** The chunk a command's loader imports, from the entry's `import("./bundle/NAME-HASH.mjs")`. */
function commandChunk(name: string): string {
  const m = readFileSync(ENTRY, "utf8").match(new RegExp(`import\\("(\\./bundle/${name}-[A-Z0-9]+\\.mjs)"\\)`));
  expect(m, `the entry imports ${name}'s chunk`).not.toBeNull();
  return path.resolve(DIST, m?.[1] ?? "");
}

const SERVICE = /^node_modules\/(fastify|@fastify|pino)\/|^packages\/service\//;
const VERIFIER = /^node_modules\/(@peculiar|asn1js)\/|^packages\/evidence\//;

describe("the CLI bundle", () => {
  it("loads only the dispatcher at start-up, and each command's modules when it runs", () => {
    const startUp = modulesIn(staticClosure(ENTRY));
    expect(startUp.filter((m) => m.startsWith("node_modules/"))).toEqual([]);
    expect(startUp.some((m) => m.startsWith("packages/cli/dist/commands/index.js"))).toBe(true);
    for (const entry of commands) commandChunk(entry.name);
  });

  it.each(["check", "fmt", "hash", "pack", "unpack", "signer-token"])("%s loads neither the service nor the evidence verifier", (name) => {
    const loaded = modulesIn(fullClosure(commandChunk(name)));
    expect(loaded.some((m) => m.startsWith("node_modules/chevrotain/"))).toBe(true);
    expect(loaded.filter((m) => SERVICE.test(m) || VERIFIER.test(m))).toEqual([]);
  });

  it.each(["eval", "evidence", "diff", "test", "verify"])("%s loads the evidence verifier but not the service", (name) => {
    const loaded = modulesIn(fullClosure(commandChunk(name)));
    expect(loaded.some((m) => VERIFIER.test(m))).toBe(true);
    expect(loaded.filter((m) => SERVICE.test(m))).toEqual([]);
  });

  it("serve loads the service", () => {
    expect(modulesIn(fullClosure(commandChunk("serve"))).some((m) => m.startsWith("node_modules/fastify/"))).toBe(true);
  });
});
