/**
 * The two suites stay apart: `npm test` (vitest.config.ts) leaves out test/e2e/, and
 * `npm run test:e2e` (vitest.e2e.config.ts) runs test/e2e/ and nothing else. (A config merged with
 * mergeConfig once concatenated the arrays: test:e2e ran the unit suite and excluded test/e2e/.)
 * Also: every program the e2e suites name is checked by the preflight and installed by setup-extra.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/fixtures.js";
import unit from "../../vitest.config.ts";
import e2e from "../../vitest.e2e.config.ts";

describe("test suites", () => {
  it("npm test leaves out test/e2e/, and test:e2e runs only test/e2e/", () => {
    expect(unit.test?.exclude).toContain("test/e2e/**");
    expect(e2e.test?.include).toEqual(["test/e2e/**/*.test.ts"]);
    expect(e2e.test?.exclude ?? []).not.toContain("test/e2e/**");
    expect(e2e.resolve).toEqual(unit.resolve);
  });

  it("the Debian packages the preflight names are installed by .ci/setup-extra", () => {
    const preflight = readFileSync(path.join(ROOT, "scripts", "e2e-preflight.mjs"), "utf8");
    const setup = readFileSync(path.join(ROOT, ".ci", "setup-extra"), "utf8");
    const named = [...preflight.matchAll(/Debian package `([^`]+)`/g)].map((m) => m[1] as string);
    expect(named.length).toBeGreaterThanOrEqual(5);
    const list = /DEBIAN_PACKAGES=\(([\s\S]*?)\n\)/.exec(setup)?.[1] ?? "";
    const packages = list.split("\n").flatMap((line) => line.replace(/#.*/, "").trim().split(/\s+/)).filter(Boolean);
    for (const p of named) expect(packages, `${p} is named by the preflight but not installed by setup-extra`).toContain(p);
  });
});
