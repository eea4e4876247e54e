/**
 * No focused, skipped or todo tests anywhere: assert today's behaviour with a FIXME instead.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { ROOT } from "../support/fixtures.js";

function testFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name === "node_modules" || name === "dist" || name === "fixtures") continue;
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.test\.ts$/.test(name)) out.push(full);
    }
  };
  walk(path.join(ROOT, "test"));
  for (const pkg of readdirSync(path.join(ROOT, "packages"))) {
    const t = path.join(ROOT, "packages", pkg, "test");
    try {
      if (statSync(t).isDirectory()) walk(t);
    } catch {
      // A package without tests of its own.
    }
  }
  return out;
}

it("has no .only, .skip, .todo, xit or xdescribe", () => {
  const pattern = new RegExp(["\\b(it|test|describe)\\.(only|skip", "|todo|skipIf|runIf)\\b", "|\\bx(it|describe)\\("].join(""));
  const offenders = testFiles().filter((f) => pattern.test(readFileSync(f, "utf8")));
  expect(offenders.map((f) => path.relative(ROOT, f))).toEqual([]);
});
