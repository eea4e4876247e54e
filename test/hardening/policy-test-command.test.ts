/**
 * Issue 17, item 6: `maa-policy test` reports only the success it has earned. Zero rules cannot
 * meet a coverage threshold (a policy with a syntax error has none); a test file without cases
 * is an error unless `--allow-empty` asks for it. Item 10: the file is
 * validated with docs/policytest.schema.json, each problem named by its JSON path.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMaaPolicy } from "../support/cli.js";

let dir: string;
const write = (name: string, content: unknown) => {
  const full = path.join(dir, name);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, typeof content === "string" ? content : JSON.stringify(content, null, 2));
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "maa-test-cmd-"));
  write("broken/p.policy", "version=1.2;\nauthorizationrules\n{\n    [type== => permit();\n};\n");
  write("broken/p.policytest.json", { policy: "p.policy", cases: [{ name: "expects the error", claims: {}, expect: { decision: "error" } }] });
  write("ok/p.policy", "version=1.2;\nauthorizationrules\n{\n    => permit();\n};\n");
  write("empty/p.policytest.json", { policy: "../ok/p.policy", cases: [] });
  write("bad/a.policytest.json", { policy: "../ok/p.policy", cases: [{ name: "x", claims: {}, expect: { decision: "allow" } }] });
  write("bad/b.policytest.json", { policy: "../ok/p.policy", cases: [{ name: "x", claims: {}, claimsFile: "c.json", expect: { decision: "permit" } }] });
  write("bad/c.policytest.json", { policy: "../ok/p.policy", cases: [{ name: "x", claims: { a: 1.5 }, expect: { decision: "permit" } }] });
  write("bad/d.policytest.json", { policy: "../ok/p.policy", cases: [{ name: "x", claims: {}, expect: { decision: "permit" } }], extra: 1 });
  write("bad/e.policytest.json", { policy: "../ok/p.policy", cases: [{ name: "x", claims: {}, expect: { decision: "permit", diagnostics: ["oops"] } }] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => runMaaPolicy(["test", ...args], { cwd: dir });

describe("maa-policy test earns its success (item 6)", () => {
  it("zero rules do not meet a coverage threshold", async () => {
    const r = await run("broken", "--coverage-threshold", "100");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("1 passed, 0 failed");
    expect(r.stdout).toContain("coverage: broken/p.policy: 0/0 rules fired (the policy does not compile: nothing ran)");
    expect(r.stdout).not.toContain("100.0%");
    expect(r.stderr).toContain("no rule was covered");
    const json = JSON.parse((await run("broken", "--coverage-threshold", "0", "--format", "json")).stdout) as { summary: { coverage: { percent: number } } };
    expect(json.summary.coverage.percent).toBe(0);
    expect((await run("broken", "--coverage-threshold", "0")).code).toBe(1);
  });

  it("a test file without cases is an error unless --allow-empty", async () => {
    const r = await run("empty");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("empty/p.policytest.json: $.cases: the file has no cases, so it tests nothing (--allow-empty accepts that)");
    const allowed = await run("empty", "--allow-empty");
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain("0 passed, 0 failed");
  });
});

describe("test files are validated with the schema (item 10)", () => {
  it.each([
    ["bad/a.policytest.json", "bad/a.policytest.json: $.cases[0].expect.decision: must be one of `permit`, `deny`, `error`"],
    ["bad/b.policytest.json", "bad/b.policytest.json: $.cases[0]: give one of `claims`, `claimsFile` and `evidence` (got `claims` and `claimsFile`)"],
    ["bad/c.policytest.json", "bad/c.policytest.json $.cases[0].claims: $.a: the fraction 1.5 is not a claim value"],
    ["bad/d.policytest.json", "bad/d.policytest.json: $.extra: unknown member"],
    ["bad/e.policytest.json", "bad/e.policytest.json: $.cases[0].expect.diagnostics[0]: must be a diagnostic code such as `P3001`"],
  ])("%s", async (file, message) => {
    const r = await run(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
