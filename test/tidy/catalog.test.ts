/**
 * The diagnostic catalogue is complete: every code has a docs page with the standard sections,
 * is produced somewhere in the sources and exercised by a test or fixture; slugs are unique; and
 * the Avoid/Prefer examples of syntax and lint codes behave as documented (docs as tests).
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import * as core from "@maa-policy/core";
import { catalog, parse, type Diagnostic } from "@maa-policy/core";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/fixtures.js";

const DOCS = path.join(ROOT, "docs", "diagnostics");
const codes = Object.keys(catalog) as (keyof typeof catalog)[];

function filesUnder(dir: string, keep: (f: string) => boolean, skipDirs: readonly string[] = []): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name === "node_modules" || name === "dist" || skipDirs.includes(name)) continue;
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (keep(full)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** Lints with the full checker when it is part of the library, else parses. */
function analyse(text: string): readonly Diagnostic[] {
  const check = (core as unknown as Record<string, unknown>)["check"];
  if (typeof check === "function") return (check as (t: string) => { diagnostics: Diagnostic[] })(text).diagnostics;
  return parse(text).diagnostics;
}

const sources = [
  ...filesUnder(path.join(ROOT, "packages"), (f) => /\/src\//.test(f) && /\.ts$/.test(f) && !/diagnostics\/catalog\//.test(f)),
].map((f) => readFileSync(f, "utf8"));
const tests = [
  ...filesUnder(path.join(ROOT, "test"), (f) => !f.includes(`${path.sep}tidy${path.sep}`)),
  ...filesUnder(path.join(ROOT, "packages"), (f) => /\/test\//.test(f)),
].map((f) => {
  try {
    return readFileSync(f, "utf8");
  } catch {
    return "";
  }
});

describe("diagnostic catalogue", () => {
  it("has unique slugs", () => {
    const slugs = codes.map((c) => catalog[c].slug);
    expect(new Set(slugs).size).toBe(slugs.length);
  });

  it("has no docs page for a code that does not exist", () => {
    const pages = readdirSync(DOCS).filter((f) => /^P\d{4}-/.test(f));
    const expected = new Set(codes.map((c) => `${c}-${catalog[c].slug}.md`));
    expect(pages.filter((p) => !expected.has(p))).toEqual([]);
  });

  for (const code of codes) {
    const entry = catalog[code];
    describe(`${code} ${entry.slug}`, () => {
      const page = path.join(DOCS, `${code}-${entry.slug}.md`);

      it("has a docs page with the standard sections", () => {
        const text = readFileSync(page, "utf8");
        expect(text.startsWith(`# ${code} ${entry.slug}\n`)).toBe(true);
        for (const h of ["## Summary", "## Avoid", "## Prefer", "## Rationale", "## Configuration"]) expect(text).toContain(`\n${h}\n`);
      });

      it("is produced by the sources", () => {
        expect(sources.some((s) => s.includes(`"${code}"`))).toBe(true);
      });

      it("is exercised by a test or fixture", () => {
        expect(tests.some((s) => s.includes(code))).toBe(true);
      });

      if (entry.phase === "syntax" || entry.phase === "check") {
        it("behaves as its Avoid and Prefer examples say", () => {
          const text = readFileSync(page, "utf8");
          const section = (name: string) => {
            const start = text.indexOf(`## ${name}\n`);
            const end = text.indexOf("\n## ", start + 1);
            return text.slice(start, end === -1 ? undefined : end);
          };
          const block = (s: string) => /```maa-policy\n([\s\S]*?)```/.exec(s)?.[1];
          const avoid = block(section("Avoid"));
          const prefer = block(section("Prefer"));
          expect(avoid, "an Avoid example").toBeDefined();
          expect(prefer, "a Prefer example").toBeDefined();
          expect(analyse(avoid as string).map((d) => d.code)).toContain(code);
          expect(analyse(prefer as string).map((d) => d.code)).not.toContain(code);
        });
      }
    });
  }
});
