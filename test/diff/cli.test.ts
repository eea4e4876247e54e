/**
 * `maa-policy diff` over its real interface (in-process, with a `CliIo`): goldens of the pretty,
 * JSON and Markdown reports next to their inputs, the exit codes and `--fail-on`, inputs from
 * claims files, directories and policy test files, the bundled examples, and every smallest
 * input replayed with `maa-policy eval`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { runMaaPolicy } from "../support/cli.js";
import { expectGolden } from "../support/golden.js";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/diff");
const root = path.resolve(import.meta.dirname, "../..");
const tmp = mkdtempSync(path.join(tmpdir(), "maa-diff-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Report {
  status: string;
  summary: { differences: number; kinds: Record<string, number> };
  given: { name: string; changes: unknown[] }[];
  search: { differences: { summary: string; claims: unknown[]; old: { decision: string; outgoing: unknown[] }; new: { decision: string; outgoing: unknown[] } }[] } | null;
}

describe("goldens", () => {
  const cwd = path.join(fixtures, "rotation");
  const args = ["diff", "before.policy", "during.policy", "--claims", "inputs"];
  test("pretty", async () => {
    const r = await runMaaPolicy(args, { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expectGolden(path.join(cwd, "before-during.pretty.txt"), r.stdout);
  });
  test("json", async () => {
    const r = await runMaaPolicy([...args, "--format", "json"], { cwd });
    expect(r.code).toBe(1);
    expectGolden(path.join(cwd, "before-during.json"), r.stdout);
  });
  test("markdown", async () => {
    const r = await runMaaPolicy([...args, "--format", "markdown"], { cwd });
    expect(r.code).toBe(1);
    expectGolden(path.join(cwd, "before-during.md"), r.stdout);
  });
  test("markdown of the SQL svn change", async () => {
    const c = path.join(fixtures, "svn");
    const r = await runMaaPolicy(["diff", "svn0.policy", "svn2.policy", "--format", "markdown"], { cwd: c });
    expect(r.code).toBe(1);
    expectGolden(path.join(c, "svn0-svn2.md"), r.stdout);
  });
  test("equivalent policies, pretty and markdown", async () => {
    const c = path.join(fixtures, "equivalent");
    for (const [a, b, name] of [["patch.policy", "patch-2023-03.policy", "patch"], ["original.policy", "renamed.policy", "renamed"]] as const) {
      const pretty = await runMaaPolicy(["diff", a, b], { cwd: c });
      expect(pretty.code).toBe(0);
      expectGolden(path.join(c, `${name}.pretty.txt`), pretty.stdout);
      const md = await runMaaPolicy(["diff", a, b, "--format", "markdown"], { cwd: c });
      expect(md.code).toBe(0);
      expectGolden(path.join(c, `${name}.md`), md.stdout);
    }
  });
});

describe("inputs", () => {
  test("claims files, directories and every case of a policy test file are evaluated by both", async () => {
    const r = await runMaaPolicy(["diff", "before.policy", "after.policy", "--claims", "inputs", "--format", "json", "--no-search"], { cwd: path.join(fixtures, "rotation") });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.search).toBeNull();
    expect(report.given.map((g) => [g.name, g.changes])).toEqual([
      ["inputs/rotation.policytest.json: the new signer", [{ kind: "decision", old: "deny", new: "permit" }]],
      ["inputs/rotation.policytest.json: a debuggable enclave", []],
      ["inputs/signer1.claims.json", [{ kind: "decision", old: "permit", new: "deny" }]],
    ]);
    expect(report.summary).toMatchObject({ differences: 2, givenChanged: 2, kinds: { "deny-more": 1, "permit-more": 1 } });
  });

  test("an attestation token is an input", async () => {
    const token = path.join(root, "test/fixtures/real-world/80-sgx-shared-2021.token.json");
    const r = await runMaaPolicy(["diff", "43-sgx-default-dollar-compact.policy", "58-service-default-openenclave-2021.policy", "--claims", token, "--no-search", "--format", "json"], {
      cwd: path.join(root, "test/fixtures/real-world"),
    });
    const report = JSON.parse(r.stdout) as Report;
    // The 2021 token carries x-ms-* claims only: the 2020 policy ($ claims) denies it, the 2021 default permits it.
    expect(report.given[0]?.changes).toEqual([{ kind: "decision", old: "deny", new: "permit" }]);
    expect(r.code).toBe(1);
  });

  test("malformed inputs are reported with their path, exit 2", async () => {
    const bad = path.join(tmp, "bad.claims.json");
    writeFileSync(bad, '{"claims": [{"type": 1}]}');
    const r = await runMaaPolicy(["diff", "before.policy", "after.policy", "--claims", bad], { cwd: path.join(fixtures, "rotation") });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bad.claims.json");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const notJson = path.join(tmp, "broken.policytest.json");
    writeFileSync(notJson, "{");
    const t = await runMaaPolicy(["diff", "before.policy", "after.policy", "--claims", notJson], { cwd: path.join(fixtures, "rotation") });
    expect(t.code).toBe(2);
    expect(t.stderr).toContain("broken.policytest.json: not valid JSON");
  });
});

describe("exit codes", () => {
  const cwd = path.join(fixtures, "rotation");
  test("0 when equivalent, 1 when different", async () => {
    expect((await runMaaPolicy(["diff", "before.policy", "before.policy"], { cwd })).code).toBe(0);
    expect((await runMaaPolicy(["diff", "before.policy", "after.policy"], { cwd })).code).toBe(1);
  });
  test("--fail-on picks the kinds of change that fail", async () => {
    // during → after only denies more.
    expect((await runMaaPolicy(["diff", "during.policy", "after.policy", "--fail-on", "permit-more"], { cwd })).code).toBe(0);
    expect((await runMaaPolicy(["diff", "during.policy", "after.policy", "--fail-on", "deny-more"], { cwd })).code).toBe(1);
    expect((await runMaaPolicy(["diff", "during.policy", "after.policy", "--fail-on", "claims,permit-more"], { cwd })).code).toBe(0);
    expect((await runMaaPolicy(["diff", "before.policy", "during.policy", "--fail-on", "claims", "--fail-on", "permit-more"], { cwd })).code).toBe(1);
  });
  test("2 for usage and I/O errors, and for a policy with errors", async () => {
    const one = await runMaaPolicy(["diff", "before.policy"], { cwd });
    expect(one.code).toBe(2);
    expect(one.stderr).toContain("give the old and the new policy");
    const kind = await runMaaPolicy(["diff", "before.policy", "after.policy", "--fail-on", "everything"], { cwd });
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain("--fail-on must name deny-more, permit-more, claims, error");
    const missing = await runMaaPolicy(["diff", "before.policy", "nope.policy"], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.policy");
    const budget = await runMaaPolicy(["diff", "before.policy", "after.policy", "--max-inputs", "0"], { cwd });
    expect(budget.code).toBe(2);
    const broken = await runMaaPolicy(["diff", "../broken/broken.policy", "before.policy"], { cwd });
    expect(broken.code).toBe(2);
    expect(broken.stdout).toContain("cannot compare: a policy has errors");
    expect(broken.stdout).toContain("P1001");
    const brokenJson = await runMaaPolicy(["diff", "../broken/broken.policy", "before.policy", "--format", "json"], { cwd });
    expect(brokenJson.code).toBe(2);
    expect((JSON.parse(brokenJson.stdout) as Report).status).toBe("error");
    expect(brokenJson.stderr).toContain("broken.policy: the policy has errors");
  });
  test("--help", async () => {
    const r = await runMaaPolicy(["diff", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--fail-on");
  });
});

test("the bundled examples: raising the minimum svn denies svn 1; a new issued claim", async () => {
  const r = await runMaaPolicy(["diff", "examples/sgx.policy", "examples/sgx-next.policy", "--claims", "examples/sgx.policytest.json", "--format", "json"], { cwd: root });
  expect(r.code).toBe(1);
  const report = JSON.parse(r.stdout) as Report;
  expect(report.search?.differences.map((d) => `${d.summary} ${JSON.stringify(d.claims)}`).sort()).toEqual([
    'decision permit → deny [{"type":"x-ms-sgx-svn","value":1,"issuer":"AttestationService"}]',
    'issued claim `config-id` added: "value" [{"type":"x-ms-sgx-config-id","value":"value","issuer":"AttestationService"}]',
  ]);
  expect(report.given.every((g) => g.changes.length === 0)).toBe(true);
});

test("every smallest input reproduces with `maa-policy eval`", async () => {
  const pairs = [
    ["test/fixtures/diff/rotation/before.policy", "test/fixtures/diff/rotation/after.policy"],
    ["test/fixtures/diff/svn/svn0.policy", "test/fixtures/diff/svn/svn2.policy"],
    ["test/fixtures/real-world/43-sgx-default-dollar-compact.policy", "test/fixtures/real-world/58-service-default-openenclave-2021.policy"],
    ["examples/sgx.policy", "examples/sgx-next.policy"],
  ] as const;
  let n = 0;
  for (const [a, b] of pairs) {
    const report = JSON.parse((await runMaaPolicy(["diff", a, b, "--format", "json"], { cwd: root })).stdout) as Report;
    for (const d of report.search?.differences ?? []) {
      const file = path.join(tmp, `input-${n++}.claims.json`);
      writeFileSync(file, JSON.stringify({ claims: d.claims }));
      for (const [policy, expected] of [[a, d.old], [b, d.new]] as const) {
        const e = await runMaaPolicy(["eval", policy, "--claims", file, "--format", "json"], { cwd: root });
        const result = JSON.parse(e.stdout) as { decision: string; outgoing: unknown[] };
        expect(result.decision).toBe(expected.decision);
        expect(result.outgoing).toEqual(expected.outgoing);
      }
    }
  }
  expect(n).toBeGreaterThan(15);
});
