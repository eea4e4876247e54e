/**
 * `maa-policy diff --evidence` over its real interface (in-process, with a `CliIo`): the bundled
 * real SGX quote is appraised as `maa-policy eval --evidence` does, its incoming claims become one
 * more input named after the file, and refused (tampered) evidence is an error, never compared.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { runMaaPolicy } from "../support/cli.js";

const root = path.resolve(import.meta.dirname, "../..");
const examples = path.join(root, "examples/evidence");
const QUOTE = "restspec-2020.sgx-quote.bin";
const EVIDENCE_OPTIONS = ["--type", "SgxEnclave", "--runtime-data", "restspec-2020.runtime-data.bin", "--at", "2020-09-29T17:49:05Z"];
const tmp = mkdtempSync(path.join(tmpdir(), "maa-diff-evidence-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A release policy admitting the quote's product (4639) at svn >= `svn` (the quote has svn 1). */
function svnPolicy(svn: number, productId = 4639): string {
  const file = path.join(tmp, `svn${svn}-product${productId}.policy`);
  writeFileSync(
    file,
    `version=1.2;
authorizationrules
{
    [type=="x-ms-sgx-is-debuggable", value==true, issuer=="AttestationService"] => deny();
    [type=="x-ms-sgx-product-id", value==${productId}, issuer=="AttestationService"]
        && [type=="x-ms-sgx-svn", value>=${svn}, issuer=="AttestationService"] => permit();
};
issuancerules
{
    c:[type=="x-ms-sgx-svn"] => issue(type="svn", value=c.value);
};
`,
  );
  return file;
}

interface Report {
  summary: { differences: number; kinds: Record<string, number> };
  given: { name: string; changes: { kind: string; old?: unknown; new?: unknown }[]; kinds: string[] }[];
}

describe("diff --evidence", () => {
  test("a policy pair differing on x-ms-sgx-svn shows the difference for the evidence input", async () => {
    const r = await runMaaPolicy(["diff", svnPolicy(1), svnPolicy(2), "--evidence", QUOTE, ...EVIDENCE_OPTIONS, "--no-search", "--format", "json"], { cwd: examples });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.given).toHaveLength(1);
    expect(report.given[0]?.name).toBe(QUOTE);
    expect(report.given[0]?.changes).toEqual([{ kind: "decision", old: "permit", new: "deny" }]);
    expect(report.given[0]?.kinds).toEqual(["deny-more"]);
    expect(report.summary.kinds["deny-more"]).toBe(1);
    const pretty = await runMaaPolicy(["diff", svnPolicy(1), svnPolicy(2), "--evidence", QUOTE, ...EVIDENCE_OPTIONS, "--no-search"], { cwd: examples });
    expect(pretty.code).toBe(1);
    expect(pretty.stdout).toMatch(new RegExp(`${QUOTE.replace(/\./g, "\\.")}: decision permit → deny`));
    expect(pretty.stdout).toMatch(/x-ms-sgx-svn: value is 1/);
  });

  test("a policy pair differing on x-ms-sgx-product-id shows the difference for the evidence input", async () => {
    const r = await runMaaPolicy(["diff", svnPolicy(1, 4639), svnPolicy(1, 4640), "--evidence", QUOTE, ...EVIDENCE_OPTIONS, "--no-search", "--format", "json"], { cwd: examples });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.given[0]?.name).toBe(QUOTE);
    expect(report.given[0]?.changes).toEqual([{ kind: "decision", old: "permit", new: "deny" }]);
    expect(report.given[0]?.kinds).toEqual(["deny-more"]);
  });

  test("the same policy twice shows no difference on the evidence", async () => {
    const p = svnPolicy(1);
    const r = await runMaaPolicy(["diff", p, p, "--evidence", QUOTE, ...EVIDENCE_OPTIONS, "--format", "json"], { cwd: examples });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.given.map((g) => g.name)).toEqual([QUOTE]);
    expect(report.given[0]?.changes).toEqual([]);
    expect(report.summary.differences).toBe(0);
  });

  test("a policy change the quote does not reach shows no difference for it", async () => {
    const r = await runMaaPolicy(["diff", svnPolicy(0), svnPolicy(1), "--evidence", QUOTE, ...EVIDENCE_OPTIONS, "--no-search", "--format", "json"], { cwd: examples });
    const report = JSON.parse(r.stdout) as Report;
    expect(report.given[0]?.changes).toEqual([]);
    expect(r.code).toBe(0);
  });

  test("tampered evidence is refused: exit 2 naming the file and the first failed check", async () => {
    const quote = new Uint8Array(readFileSync(path.join(examples, QUOTE)));
    quote[112] = (quote[112] as number) ^ 0xff; // a byte of the report body: the quote signature no longer verifies
    const tampered = path.join(tmp, "tampered.sgx-quote.bin");
    writeFileSync(tampered, quote);
    const r = await runMaaPolicy(["diff", svnPolicy(1), svnPolicy(2), "--evidence", tampered, ...EVIDENCE_OPTIONS.map((a) => (a.endsWith(".bin") ? path.join(examples, a) : a))], { cwd: examples });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/tampered\.sgx-quote\.bin: the SgxEnclave evidence was refused: Quote signature by the attestation key \(sgx\.quote-signature\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test("evidence refused at a later --at (expired PCK certificate) is exit 2, never compared", async () => {
    const r = await runMaaPolicy(["diff", svnPolicy(1), svnPolicy(2), "--evidence", QUOTE, "--type", "SgxEnclave", "--runtime-data", "restspec-2020.runtime-data.bin", "--at", "2026-12-01T00:00:00Z"], { cwd: examples });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/restspec-2020\.sgx-quote\.bin: the SgxEnclave evidence was refused: PCK certificate chain: validity at the verification time/);
  });

  test("evidence options without --evidence are a usage error", async () => {
    const r = await runMaaPolicy(["diff", svnPolicy(1), svnPolicy(2), "--at", "2020-09-29T17:49:05Z"], { cwd: examples });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/need --evidence <file>/);
  });

  test("--help documents --evidence and the evidence options", async () => {
    const r = await runMaaPolicy(["diff", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--evidence <file>/);
    expect(r.stdout).toMatch(/--runtime-data <file>/);
  });
});
