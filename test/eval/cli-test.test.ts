/**
 * `maa-policy test`: policy test files, failures with a diff, the summary line, coverage and its
 * threshold, JSON and JUnit output, exit codes.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { runMaaPolicy } from "../support/cli.js";

const root = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "maa-test-"));
const write = (name: string, text: unknown) => {
  const full = path.join(dir, name);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, typeof text === "string" ? text : JSON.stringify(text, null, 2));
};

write("p/sgx.policy", 'version=1.2;\nauthorizationrules {\n    [type=="x-ms-sgx-is-debuggable", value==true] => deny();\n    => permit();\n};\nissuancerules {\n    c:[type=="x-ms-sgx-svn"] => issue(type="svn", value=c.value);\n    c:[type=="never"] => issue(type="never", value=1);\n};\n');
write("p/claims.json", { "x-ms-sgx-is-debuggable": false, "x-ms-sgx-svn": 3 });
write("pass/ok.policytest.json", {
  policy: "../p/sgx.policy",
  cases: [
    { name: "permit", claimsFile: "../p/claims.json", expect: { decision: "permit", outgoing: [{ type: "svn", value: 3 }], outgoingMode: "exact" } },
    { name: "deny", claims: { "x-ms-sgx-is-debuggable": true }, expect: { decision: "deny", outgoing: [], diagnostics: [] } },
    { name: "token view", claims: { "x-ms-sgx-svn": [1, 2] }, expect: { decision: "permit", outgoing: { svn: [1, 2] } } },
  ],
});
write("fail/bad.policytest.json", {
  policy: "../p/sgx.policy",
  cases: [
    { name: "wrong decision", claims: { "x-ms-sgx-is-debuggable": true }, expect: { decision: "permit" } },
    { name: "wrong claims", claimsFile: "../p/claims.json", expect: { decision: "permit", outgoing: [{ type: "svn", value: 4 }] } },
    { name: "fine", claims: [], expect: { decision: "permit" } },
  ],
});
write("malformed/x.policytest.json", { policy: "../p/sgx.policy", cases: [{ name: "no expect", claims: [] }] });

const run = (...args: string[]) => runMaaPolicy(args, { cwd: dir });

describe("maa-policy test", () => {
  test("all pass: summary line, exit 0", async () => {
    const r = await run("test", "pass");
    expect(r.stdout).toBe("3 passed, 0 failed\n");
    expect(r.code).toBe(0);
  });
  test("failures print a diff of expected and actual, then the summary; exit 1", async () => {
    const r = await run("test", "fail");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ fail/bad.policytest.json › wrong decision");
    expect(r.stdout).toContain("decision: expected `permit`, got `deny`");
    expect(r.stdout).toContain("✗ fail/bad.policytest.json › wrong claims");
    expect(r.stdout).toContain("outgoing: 1 expected claim missing");
    expect(r.stdout).toMatch(/- {5}"value": 4/);
    expect(r.stdout).toMatch(/\+ {5}"value": 3,/);
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("1 passed, 2 failed");
    // Each failure comes with the trace that explains it.
    expect(r.stdout).toContain("    trace:");
    expect(r.stdout).toMatch(/authorizationrules rule 1 \(line 3\): fired\n/);
  });
  test("exact mode reports unexpected claims", async () => {
    write("exact/e.policytest.json", { policy: "../p/sgx.policy", cases: [{ name: "exact", claims: { "x-ms-sgx-svn": [1, 2] }, expect: { decision: "permit", outgoing: [{ type: "svn", value: 1 }], outgoingMode: "exact" } }] });
    const r = await run("test", "exact");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("1 unexpected claim");
  });
  test("--coverage lists rules never fired; --coverage-threshold fails below it", async () => {
    const r = await run("test", "pass", "--coverage");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("coverage: p/sgx.policy: 3/4 rules fired");
    expect(r.stdout).toContain('never fired: issuancerules rule 2 (line 8): c:[type=="never"] => issue(type="never", value=1);');
    const t = await run("test", "pass", "--coverage-threshold", "90");
    expect(t.code).toBe(1);
    expect(t.stderr).toContain("rule coverage 75.0% is below the threshold of 90%");
    expect((await run("test", "pass", "--coverage-threshold", "75")).code).toBe(0);
  });
  test("--format json", async () => {
    const r = await run("test", "fail", "--format", "json", "--coverage");
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { summary: { passed: number; failed: number; coverage: { rules: number } }; files: { cases: { name: string; passed: boolean }[] }[] };
    expect(json.summary).toMatchObject({ passed: 1, failed: 2, coverage: { rules: 4 } });
    expect(json.files[0]?.cases.map((c) => c.passed)).toEqual([false, false, true]);
  });
  test("--format junit", async () => {
    const r = await run("test", "fail", "--format", "junit");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('<testsuites name="maa-policy" tests="3" failures="2">');
    expect(r.stdout).toContain('<testcase classname="fail/bad.policytest.json" name="fine"/>');
    expect(r.stdout).toContain("<failure message=\"decision: expected `permit`, got `deny`\">");
  });
  test("a malformed test file is an I/O error naming the file and the JSON path: exit 2", async () => {
    const r = await run("test", "malformed");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("malformed/x.policytest.json: $.cases[0].expect: missing: must be an object with at least `decision`");
  });
  test("bad options exit 2", async () => {
    expect((await run("test", "pass", "--coverage-threshold", "120")).code).toBe(2);
    expect((await run("test", "pass", "--format", "tap")).code).toBe(2);
    expect((await run("test", "nowhere")).code).toBe(2);
  });
  test("the bundled examples pass with full coverage", async () => {
    const r = await runMaaPolicy(["test", "examples", "--coverage-threshold", "100"], { cwd: root });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\d+ passed, 0 failed\n$/);
  });
});
