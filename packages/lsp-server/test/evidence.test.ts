/**
 * The evaluate request and the "Evaluate with…" code lens on attestation evidence: the file is
 * told apart from a claims file by content, appraised (with the evidence options of the request,
 * paths relative to the policy), evaluated, and answered with the appraisal and the attestation
 * token; refused evidence is answered with the decision `error` and shown on the lens. Also over
 * the protocol, in-process.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import * as lsp from "vscode-languageserver";
import { analyze } from "../src/analysis.js";
import { codeLenses } from "../src/features/code-lens.js";
import { evaluateParams, evaluatePolicy } from "../src/features/custom-requests.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { TestClient } from "./support/client.js";

const repo = resolve(import.meta.dirname, "../../..");
const examples = join(repo, "examples/evidence");
const POLICY_PATH = join(examples, "sgx-release.policy");
const POLICY = readFileSync(POLICY_PATH, "utf8");
const QUOTE = join(examples, "restspec-2020.sgx-quote.bin");
const REQUEST = join(examples, "azsdk-debug.request.sgxenclave-json.json");
const AT_2020 = "2020-09-29T17:49:05Z";

describe("maa-policy/evaluate on evidence", () => {
  it("a raw quote with its runtime data (paths relative to the policy) is appraised, evaluated and gives the token", async () => {
    const r = await evaluatePolicy({ text: POLICY, path: POLICY_PATH }, QUOTE, {
      evidence: { type: "SgxEnclave", runtimeDataPath: "restspec-2020.runtime-data.bin", runtimeDataType: "binary", at: AT_2020 },
    });
    expect(r.evidence?.type).toBe("SgxEnclave");
    expect(r.evidence?.verified).toBe(true);
    expect(r.evidence?.checks.find((c) => c.id === "sgx.runtime-data")?.status).toBe("passed");
    expect(r.decision).toBe("permit");
    expect(r.token).toMatchObject({ svn: 1 });
    expect(r.attestationToken).toMatchObject({ "x-ms-sgx-product-id": 4639, svn: 1, iat: Date.parse(AT_2020) / 1000 });
    expect(r.trace).not.toBeNull();
  });

  it("an attest request body carries its own runtime data; a debug enclave is denied and no token is issued", async () => {
    const r = await evaluatePolicy({ text: POLICY, path: POLICY_PATH }, REQUEST, { evidence: { at: "2021-04-17T00:37:40Z" } });
    expect(r.evidence?.verified).toBe(true);
    expect(r.evidence?.checks.find((c) => c.id === "sgx.runtime-data")?.status).toBe("passed");
    expect(r.decision).toBe("deny");
    expect(r.attestationToken).toBeNull();
  });

  it("refused evidence is not evaluated: decision error, no token, and the lens says why", async () => {
    const r = await evaluatePolicy({ text: POLICY, path: POLICY_PATH }, QUOTE, { evidence: { type: "SgxEnclave", at: "2026-12-01T00:00:00Z" } });
    expect(r.evidence?.verified).toBe(false);
    expect(r.decision).toBe("error");
    expect(r.attestationToken).toBeNull();
    const a = analyze(pathToFileURL(POLICY_PATH).href, 1, POLICY, DEFAULT_SETTINGS);
    const title = codeLenses(a, { path: QUOTE, exists: true, outcome: { result: r } })[0]?.command?.title;
    expect(title).toBe("Evaluate with restspec-2020.sgx-quote.bin: SgxEnclave evidence refused (PCK certificate chain: validity at the verification time)");
  });

  it("the lens names verified evidence and the decision", async () => {
    const r = await evaluatePolicy({ text: POLICY, path: POLICY_PATH }, QUOTE, { evidence: { type: "SgxEnclave", runtimeDataPath: "restspec-2020.runtime-data.bin", at: AT_2020 } });
    const a = analyze(pathToFileURL(POLICY_PATH).href, 1, POLICY, DEFAULT_SETTINGS);
    expect(codeLenses(a, { path: QUOTE, exists: true, outcome: { result: r } })[0]?.command?.title).toBe("Evaluate with restspec-2020.sgx-quote.bin: SgxEnclave evidence verified: permit (3 claims issued)");
  });

  it("a claims file is still a claims file, and hex text of a quote is evidence", async () => {
    const dir = mkdtempSync(join(tmpdir(), "maa-lsp-evidence-"));
    writeFileSync(join(dir, "c.claims.json"), JSON.stringify({ "x-ms-sgx-is-debuggable": false, "x-ms-sgx-mrsigner": "856823123027010ed0ce1f7d515b6be1d7505e5828fba19785676030d8fffc28", "x-ms-sgx-product-id": 4639 }));
    const claims = await evaluatePolicy({ text: POLICY, path: POLICY_PATH }, join(dir, "c.claims.json"));
    expect(claims.evidence).toBeUndefined();
    expect(claims.decision).toBe("permit");
    writeFileSync(join(dir, "quote.hex"), Buffer.from(readFileSync(QUOTE)).toString("hex"));
    copyFileSync(join(examples, "restspec-2020.runtime-data.bin"), join(dir, "rd.bin"));
    const hex = await evaluatePolicy({ text: POLICY, path: join(dir, "p.policy") }, join(dir, "quote.hex"), { evidence: { type: "SgxEnclave", runtimeDataPath: "rd.bin", at: AT_2020 } });
    expect(hex.evidence?.verified).toBe(true);
    expect(hex.decision).toBe("permit");
  });

  it("bad evidence options are InvalidParams with the option named", async () => {
    expect(() => evaluateParams({ uri: "file:///p.policy", evidence: { runtime: "x" } })).toThrow(/`evidence.runtime` is not an evidence option/);
    expect(() => evaluateParams({ uri: "file:///p.policy", evidence: { at: 3 } })).toThrow(/`evidence.at` must be a string/);
    expect(() => evaluateParams({ uri: "file:///p.policy", evidence: "x" })).toThrow(/`evidence` must be an object/);
    expect(evaluateParams({ uri: "file:///p.policy", claimsPath: "q.bin", evidence: { at: AT_2020 } })).toEqual({ uri: "file:///p.policy", claimsPath: "q.bin", evidence: { at: AT_2020 } });
    const src = { text: POLICY, path: POLICY_PATH };
    await expect(evaluatePolicy(src, QUOTE, { evidence: { type: "Tpm" } })).rejects.toThrow(/`evidence.type`: must be one of SgxEnclave, OpenEnclave, SevSnpVm, TdxVm/);
    await expect(evaluatePolicy(src, QUOTE, { evidence: { at: "soon" } })).rejects.toThrow(/`evidence.at`: `soon` is not an ISO 8601 time/);
    await expect(evaluatePolicy(src, QUOTE, { evidence: { runtimeDataType: "xml" } })).rejects.toThrow(/`evidence.runtimeDataType`: must be `binary` or `json`/);
    await expect(evaluatePolicy(src, QUOTE, { evidence: { runtimeDataPath: "missing.bin" } })).rejects.toThrow(/runtime data `.*missing\.bin`: no such file/);
    await expect(evaluatePolicy(src, QUOTE, { evidence: { collateralPath: "missing.json" } })).rejects.toBeInstanceOf(lsp.ResponseError);
  });

  it("garbage bytes are refused evidence with a diagnostic, not an exception", async () => {
    const dir = mkdtempSync(join(tmpdir(), "maa-lsp-evidence-"));
    writeFileSync(join(dir, "garbage.bin"), new Uint8Array(300).map((_, i) => (i * 91 + 7) & 0xff));
    const r = await evaluatePolicy({ text: POLICY, path: POLICY_PATH }, join(dir, "garbage.bin"), { evidence: { type: "SgxEnclave", at: AT_2020 } });
    expect(r.decision).toBe("error");
    expect(r.evidence?.verified).toBe(false);
    expect(r.evidence?.diagnostics.some((d) => d.severity === "error" && /offset \d+/.test(d.message))).toBe(true);
  });
});

describe("over the protocol", () => {
  let client: TestClient | undefined;
  afterEach(() => client?.dispose());

  it("maa-policy/evaluate answers for an evidence file, and the server keeps serving after a bad one", async () => {
    client = new TestClient();
    await client.initialize({});
    const uri = pathToFileURL(POLICY_PATH).href;
    await client.open(uri, POLICY);
    await client.waitVersion(uri, 1);
    const r = await client.request<{ decision: string; evidence: { verified: boolean }; attestationToken: Record<string, unknown> | null }>("maa-policy/evaluate", {
      uri,
      claimsPath: QUOTE,
      evidence: { type: "SgxEnclave", runtimeDataPath: "restspec-2020.runtime-data.bin", at: AT_2020 },
    });
    expect(r.evidence.verified).toBe(true);
    expect(r.decision).toBe("permit");
    expect(r.attestationToken?.["x-ms-sgx-svn"]).toBe(1);
    await expect(client.request("maa-policy/evaluate", { uri, claimsPath: QUOTE, evidence: { nope: 1 } })).rejects.toThrow(/not an evidence option/);
    const again = await client.request<{ decision: string }>("maa-policy/evaluate", { uri, claimsPath: REQUEST, evidence: { at: "2021-04-17T00:37:40Z" } });
    expect(again.decision).toBe("deny");
  });
});
