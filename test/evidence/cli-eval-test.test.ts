/**
 * `maa-policy eval --evidence` (goldens of its pretty and JSON output on a real quote, the draft
 * policy of a request body, the nonce) and evidence cases in `maa-policy test` (passing and
 * failing cases with their messages, malformed cases named by their JSON path). Also the Azure
 * Samples genquotes: the incoming claims equal what the quote generator wrote next to each quote.
 */
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { runMaaPolicy } from "../support/cli.js";
import { expectGolden } from "../support/golden.js";

const repo = path.resolve(import.meta.dirname, "../..");
const fixtures = path.join(repo, "test/fixtures/evidence");
const goldens = path.join(import.meta.dirname, "goldens");
const RELEASE = ["--evidence", "examples/evidence/restspec-2020.sgx-quote.bin", "--type", "SgxEnclave", "--runtime-data", "examples/evidence/restspec-2020.runtime-data.bin", "--at", "2020-09-29T17:49:05Z"];

describe("eval --evidence", () => {
  test("pretty: the verdict and steps, the decision, the issued claims and the attestation token", async () => {
    const r = await runMaaPolicy(["eval", "examples/sgx.policy", ...RELEASE], { cwd: repo });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^evidence: examples\/evidence\/restspec-2020.sgx-quote.bin: SgxEnclave evidence: verified/);
    expect(r.stdout).toMatch(/\ndecision: permit\n/);
    expect(r.stdout).toMatch(/\nattestation token \(the claims a relying party would receive\):\n {2}\{\n/);
    expectGolden(path.join(goldens, "eval-sgx-restspec-2020.txt"), r.stdout);
  });

  test("json: the evaluator's JSON plus evidence and attestationToken", async () => {
    const r = await runMaaPolicy(["eval", "examples/sgx.policy", ...RELEASE, "--nonce", "abc", "--format", "json"], { cwd: repo });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as Record<string, unknown> & { attestationToken: Record<string, unknown>; evidence: { verified: boolean; type: string } };
    expect(Object.keys(json)).toEqual(["decision", "incoming", "outgoing", "properties", "token", "diagnostics", "trace", "evidence", "attestationToken"]);
    expect(json.evidence).toMatchObject({ type: "SgxEnclave", verified: true });
    expect(json.attestationToken).toMatchObject({ nonce: "abc", svn: 1, tee: "sgx", "x-ms-sgx-svn": 1, "x-ms-attestation-type": "sgx", iat: 1601401745, exp: 1601401745 + 28800 });
    expect(json.attestationToken["x-ms-policy"]).toEqual(json["token"]);
    expectGolden(path.join(goldens, "eval-sgx-restspec-2020.json"), r.stdout);
  });

  test("a deny issues no token", async () => {
    const r = await runMaaPolicy(["eval", "examples/sgx.policy", "--evidence", "examples/evidence/azsdk-debug.request.sgxenclave-json.json", "--at", "2021-04-17T00:37:40Z"], { cwd: repo });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/decision: deny/);
    expect(r.stdout).toMatch(/attestation token: none \(the service issues no token when the decision is deny\)/);
  });

  test("without a policy file, the request body's draftPolicyForAttestation is evaluated", async () => {
    const body = JSON.parse(readFileSync(path.join(fixtures, "sgx/azsdk-debug.request.sgxenclave-binary.json"), "utf8")) as Record<string, unknown>;
    body["draftPolicyForAttestation"] = 'version= 1.0;authorizationrules{[type=="x-ms-sgx-is-debuggable", value==true] => permit();};issuancerules{c:[type=="x-ms-sgx-mrsigner"] => issue(type="custom-name", value=c.value);};';
    const r = await runMaaPolicy(["eval", "--evidence", "-", "--at", "2021-04-17T00:37:40Z", "--format", "json"], { cwd: repo, stdin: JSON.stringify(body) });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { decision: string; attestationToken: Record<string, unknown> };
    expect(json.decision).toBe("permit");
    expect(json.attestationToken["custom-name"]).toBe("4aea5f9a0ed04b11f889aadfe6a1d376213a29a95a85ce7337ae6f7fece6610c");
    // The hash of the draft policy's text, as the service computes it (service/10: draftPolicy_permit → 1wKUrF…).
    const inputs = JSON.parse(readFileSync(path.join(fixtures, "service/10-cpp-test-inputs.derived.json"), "utf8")) as Record<string, string>;
    const draft = { ...body, draftPolicyForAttestation: inputs["draftPolicy_permit"] };
    const d = await runMaaPolicy(["eval", "--evidence", "-", "--at", "2021-04-17T00:37:40Z", "--format", "json"], { cwd: repo, stdin: JSON.stringify(draft) });
    expect((JSON.parse(d.stdout) as { attestationToken: Record<string, unknown> }).attestationToken["x-ms-policy-hash"]).toBe(inputs["draftPolicy_permit_x_ms_policy_hash"]);
  });
});

describe("evidence in maa-policy test", () => {
  test("the bundled evidence tests pass with full coverage", async () => {
    const r = await runMaaPolicy(["test", "examples/evidence", "--coverage-threshold", "100"], { cwd: repo });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3 passed, 0 failed\n$/);
  });

  function testDir(cases: unknown[]): string {
    const dir = mkdtempSync(path.join(tmpdir(), "maa-evidence-test-"));
    for (const f of ["sgx-release.policy", "restspec-2020.sgx-quote.bin", "restspec-2020.runtime-data.bin"]) copyFileSync(path.join(repo, "examples/evidence", f), path.join(dir, f));
    writeFileSync(path.join(dir, "t.policytest.json"), JSON.stringify({ policy: "sgx-release.policy", cases }));
    return dir;
  }
  const QUOTE = { file: "restspec-2020.sgx-quote.bin", type: "SgxEnclave", runtimeData: "restspec-2020.runtime-data.bin", at: "2020-09-29T17:49:05Z" };

  test("failures name what differs: the verdict, the decision, a token claim", async () => {
    const dir = testDir([
      { name: "expects refusal", evidence: QUOTE, expect: { decision: "permit", verified: false } },
      { name: "wrong token claim", evidence: QUOTE, expect: { decision: "permit", attestationToken: { "x-ms-sgx-svn": 2, "x-ms-missing": 1 } } },
      { name: "refused but expected verified", evidence: { ...QUOTE, at: "2027-01-01T00:00:00Z" }, expect: { decision: "permit" } },
    ]);
    const r = await runMaaPolicy(["test", "--format", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const cases = (JSON.parse(r.stdout) as { files: { cases: { name: string; failures: { field: string; message: string }[] }[] }[] }).files[0]?.cases ?? [];
    expect(cases.map((c) => c.failures.map((f) => f.message))).toEqual([
      ["evidence: expected it to be refused, it was verified (1 step not checked)"],
      ["attestationToken: `x-ms-sgx-svn`, `x-ms-missing` differ"],
      [expect.stringMatching(/^evidence: expected it to be verified, it was refused: PCK certificate chain: validity at the verification time/), "decision: expected `permit`, got `error`"],
    ]);
  });

  test.each([
    [{ name: "x", claims: {}, evidence: "q.bin", expect: { decision: "permit" } }, /\$\.cases\[0\]: give one of `claims`, `claimsFile` and `evidence` \(got `claims` and `evidence`\)/],
    [{ name: "x", evidence: 3, expect: { decision: "permit" } }, /\$\.cases\[0\]\.evidence: must be the path of the evidence, or an object/],
    [{ name: "x", evidence: { type: "SgxEnclave" }, expect: { decision: "permit" } }, /\$\.cases\[0\]\.evidence\.file: the evidence file is missing/],
    [{ name: "x", evidence: { file: "q.bin", runtime: "r" }, expect: { decision: "permit" } }, /\$\.cases\[0\]\.evidence\.runtime: unknown member \(expected `file`, `type`/],
    [{ name: "x", evidence: { ...QUOTE, type: "Tpm" }, expect: { decision: "permit" } }, /\$\.cases\[0\]\.evidence\.type: must be one of SgxEnclave, OpenEnclave, SevSnpVm, TdxVm \(got `Tpm`\)/],
    [{ name: "x", evidence: { ...QUOTE, at: "tomorrow" }, expect: { decision: "permit" } }, /\$\.cases\[0\]\.evidence\.at: `tomorrow` is not an ISO 8601 time/],
    [{ name: "x", evidence: { ...QUOTE, runtimeDataType: "xml" }, expect: { decision: "permit" } }, /\$\.cases\[0\]\.evidence\.runtimeDataType: must be `binary` or `json`/],
    [{ name: "x", evidence: { ...QUOTE, file: "-" }, expect: { decision: "permit" } }, /\$\.cases\[0\]\.evidence\.file: a test cannot read standard input/],
    [{ name: "x", evidence: { ...QUOTE, file: "missing.bin" }, expect: { decision: "permit" } }, /missing\.bin: cannot read the evidence: no such file or directory/],
    [{ name: "x", claims: {}, expect: { decision: "permit", verified: true } }, /\$\.cases\[0\]\.expect\.verified: only a case with `evidence` can expect this/],
    [{ name: "x", evidence: QUOTE, expect: { decision: "permit", verified: "yes" } }, /\$\.cases\[0\]\.expect\.verified: must be `true` or `false`/],
    [{ name: "x", evidence: QUOTE, expect: { decision: "permit", attestationToken: [] } }, /\$\.cases\[0\]\.expect\.attestationToken: must be an object/],
  ])("malformed case %#: exit 2 with the JSON path", async (c, message) => {
    const r = await runMaaPolicy(["test"], { cwd: testDir([c]) });
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("the Azure Samples genquotes", () => {
  const files = ["oe-sdk", "intel-sdk"].flatMap((sdk) => ["debug", "release", "prodid", "securityversion"].map((v) => `${sdk}.enclave.info.${v}`));
  test.each(files)("%s: the claims equal the generator's expected fields", async (f) => {
    const info = JSON.parse(readFileSync(path.join(fixtures, `sgx/azure-samples-genquotes/${f}.json`), "utf8")) as Record<string, string | number>;
    const oe = f.startsWith("oe-");
    const r = await runMaaPolicy(["evidence", "-", "--type", oe ? "OpenEnclave" : "SgxEnclave", "--at", oe ? "2021-04-17T00:00:00Z" : "2024-01-01T00:00:00Z", "--format", "json"], { cwd: repo, stdin: info["QuoteHex"] as string });
    expect(r.code, r.stdout).toBe(0);
    const claims = new Map((JSON.parse(r.stdout) as { claims: { type: string; value: unknown }[] }).claims.map((c) => [c.type, c.value]));
    expect(claims.get("x-ms-sgx-mrenclave")).toBe(String(info["MrEnclaveHex"]).toLowerCase());
    expect(claims.get("x-ms-sgx-mrsigner")).toBe(String(info["MrSignerHex"]).toLowerCase());
    // ProductIdHex is the 16-byte little-endian field the generators print; isv_prod_id is its first two bytes.
    expect(claims.get("x-ms-sgx-product-id")).toBe(Buffer.from(String(info["ProductIdHex"]), "hex").readUInt16LE(0));
    expect(claims.get("x-ms-sgx-svn")).toBe(info["SecurityVersion"]);
    // OE-SDK `Attributes` is oe_identity (bit 0 debug); Intel SDK `Attributes` is the SGX FLAGS (bit 1 debug).
    const debug = oe ? (Number(info["Attributes"]) & 1) !== 0 : (Number(info["Attributes"]) & 2) !== 0;
    expect(claims.get("x-ms-sgx-is-debuggable")).toBe(debug);
  });
});
