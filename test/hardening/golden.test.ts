/**
 * Issue 17, item 9: a missing golden fails everywhere, not only when `CI` is set; writing goldens
 * is the separate `UPDATE_GOLDENS=1` step (`npm run test:update`).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { expectGolden } from "../support/golden.js";

const saved = { CI: process.env["CI"], UPDATE_GOLDENS: process.env["UPDATE_GOLDENS"] };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe("golden files (item 9)", () => {
  it("a missing golden is a failure without CI, and nothing is written", () => {
    delete process.env["CI"];
    delete process.env["UPDATE_GOLDENS"];
    const dir = mkdtempSync(path.join(tmpdir(), "maa-golden-"));
    const file = path.join(dir, "x.golden.txt");
    try {
      expect(() => expectGolden(file, "text")).toThrow(/missing golden file .*npm run test:update/);
      expect(existsSync(file)).toBe(false);
      process.env["UPDATE_GOLDENS"] = "1";
      expectGolden(file, "text");
      expect(readFileSync(file, "utf8")).toBe("text");
      delete process.env["UPDATE_GOLDENS"];
      expectGolden(file, "text");
      expect(() => expectGolden(file, "other")).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
