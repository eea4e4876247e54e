/**
 * Attest through the evidence package: the recorded attest exchanges (files 01-03) replayed with
 * the real C++ test quote and report, and the SDK's attest calls. Same status and claims as the
 * live service, up to `iss`, `jti`, the times and the collateral hashes (no Intel collateral is
 * supplied offline: only `quotehash` is computed from the evidence itself).
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AttestationClient } from "@azure/attestation";
import type { RunningService } from "@maa-policy/service";
import { RECORDED_INPUTS, V, call, claimsOf, headerOf, recording, start, type RecordedCall } from "./support/service.js";

// Key generation and process start-up are slow when the machine is loaded (the whole suite runs in parallel).
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

function attestCalls(name: string): RecordedCall[] {
  return recording(name).filter((r) => r.Url.includes("/attest/"));
}
const inputs = RECORDED_INPUTS;

const IGNORED = new Set(["iss", "iat", "nbf", "exp", "jti"]);
const COLLATERAL = new Set(["x-ms-sgx-collateral", "maa-attestationcollateral"]);

/** Same claims up to the envelope and the collateral hashes (quotehash must match). */
function expectSameClaims(ours: Record<string, any>, theirs: Record<string, any>): void {
  expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
  for (const k of Object.keys(theirs)) {
    if (IGNORED.has(k)) continue;
    if (COLLATERAL.has(k)) {
      // Without Intel collateral only the quote hash can be computed; it must be the service's.
      expect(ours[k].quotehash, k).toBe(theirs[k].quotehash);
      continue;
    }
    expect(ours[k], k).toEqual(theirs[k]);
  }
  expect(ours["exp"] - ours["iat"]).toBe(theirs["exp"] - theirs["iat"]);
}

let s: RunningService;
beforeAll(async () => {
  s = await start({ now: new Date("2022-05-31T22:50:28Z") });
});
afterAll(async () => {
  await s?.close();
});

describe("attest: replay of the recorded exchanges", () => {
  it("01: SgxEnclave with JSON runtime data (AAD provider, default policy)", async () => {
    const [rec] = attestCalls("01-cpp-Attestation-AttestationTests.AttestWithRuntimeDataJson-SgxEnclave_Aad.json");
    const r = await call(s, "POST", `/aad/attest/SgxEnclave?${V}`, { body: JSON.stringify({ quote: inputs["sgxQuote_base64url"], runtimeData: { data: inputs["runtimeData_base64url"], dataType: "JSON" } }) });
    expect(r.status, r.text).toBe(Number(rec!.Response.STATUS_CODE));
    const theirs = JSON.parse(rec!.Response.BODY).token as string;
    expect(Object.keys(headerOf(r.json.token))).toEqual(Object.keys(headerOf(theirs)));
    expect(headerOf(r.json.token).alg).toBe("RS256");
    expectSameClaims(claimsOf(r.json.token), claimsOf(theirs));
  });

  it("02: OpenEnclave with Binary runtime data (ehd claims)", async () => {
    const [rec] = attestCalls("02-cpp-Attestation-AttestationTests.AttestWithRuntimeData-OpenEnclave_Shared.json");
    const r = await call(s, "POST", `/aad/attest/OpenEnclave?${V}`, { body: JSON.stringify({ report: inputs["openEnclaveReport_base64url"], runtimeData: { data: inputs["runtimeData_base64url"], dataType: "Binary" } }) });
    expect(r.status, r.text).toBe(200);
    expectSameClaims(claimsOf(r.json.token), claimsOf(JSON.parse(rec!.Response.BODY).token));
  });

  it("03: a permitting draft policy gives an unsigned alg:none token; a denying one is 400 PolicyEvaluationError", async () => {
    const [permit, deny] = attestCalls("03-cpp-Attestation-AttestationTests.AttestWithDraftPolicy-SgxEnclave_Isolated.json");
    const ok = await call(s, "POST", `/isolated/attest/SgxEnclave?${V}`, { body: JSON.stringify({ quote: inputs["sgxQuote_base64url"], draftPolicyForAttestation: inputs["draftPolicy_permit"] }) });
    expect(ok.status, ok.text).toBe(Number(permit!.Response.STATUS_CODE));
    const theirs = JSON.parse(permit!.Response.BODY).token as string;
    expect(headerOf(ok.json.token)).toMatchObject({ alg: "none", typ: "JWT" });
    expect(Object.keys(headerOf(ok.json.token))).toEqual(Object.keys(headerOf(theirs)));
    expect(ok.json.token.endsWith(".")).toBe(true);
    expectSameClaims(claimsOf(ok.json.token), claimsOf(theirs));
    expect(claimsOf(ok.json.token)["x-ms-policy-hash"]).toBe(inputs["draftPolicy_permit_x_ms_policy_hash"]);

    const no = await call(s, "POST", `/isolated/attest/SgxEnclave?${V}`, { body: JSON.stringify({ quote: inputs["sgxQuote_base64url"], draftPolicyForAttestation: inputs["draftPolicy_deny"] }) });
    expect(no.status).toBe(Number(deny!.Response.STATUS_CODE));
    expect(no.json.error.code).toBe(JSON.parse(deny!.Response.BODY).error.code);
    expect(no.json.error.message).toMatch(/No Permit claim was issued/);
  });
});

describe("attest: our rulings", () => {
  it("the provider's stored policy is what attest runs; nonce is echoed", async () => {
    const r = await call(s, "POST", `/aad/attest/sgxenclave?${V}`, { body: JSON.stringify({ quote: inputs["sgxQuote_base64url"], nonce: "n-123" }) });
    expect(r.status, r.text).toBe(200);
    expect(claimsOf(r.json.token).nonce).toBe("n-123");
  });

  it("a tampered quote is refused with InvalidParameter and the evidence diagnostic", async () => {
    const q = Buffer.from(inputs["sgxQuote_base64url"] as string, "base64url");
    q[200] = (q[200] as number) ^ 1;
    const r = await call(s, "POST", `/aad/attest/SgxEnclave?${V}`, { body: JSON.stringify({ quote: q.toString("base64url") }) });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("InvalidParameter");
    expect(r.json.error.message).toMatch(/^The specified quote was invalid: /);
  });

  it("runtime data that does not match report_data is refused", async () => {
    const r = await call(s, "POST", `/aad/attest/SgxEnclave?${V}`, { body: JSON.stringify({ quote: inputs["sgxQuote_base64url"], runtimeData: { data: Buffer.from("{}").toString("base64url"), dataType: "JSON" } }) });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("InvalidParameter");
  });

  it("a draft with a syntax error is PolicyParsingError with line and column", async () => {
    const r = await call(s, "POST", `/aad/attest/SgxEnclave?${V}`, { body: JSON.stringify({ quote: inputs["sgxQuote_base64url"], draftPolicyForAttestation: "version=1.0;\nauthorizationrules { => permit() };" }) });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("PolicyParsingError");
    expect(r.json.error.message).toMatch(/line 2, column \d+/);
  });

  it("TPM is not emulated; SevSnpVm needs 2022-08-01", async () => {
    expect((await call(s, "POST", `/aad/attest/Tpm?${V}`, { body: JSON.stringify({ data: "AAAA" }) })).json.error.code).toBe("InvalidOperation");
    expect((await call(s, "POST", `/aad/attest/SevSnpVm?${V}`, { body: JSON.stringify({ report: "AAAA" }) })).json.error.code).toBe("InvalidParameter");
  });
});

describe("attest with @azure/attestation", () => {
  it("attestSgxEnclave and attestOpenEnclave with binary and JSON runtime data, and a draft policy, SDK validation on", async () => {
    const client = new AttestationClient(`${s.url}/aad`, {
      tlsOptions: { ca: s.tlsCertificate as string },
      validationOptions: { validateToken: true, validateExpirationTime: false, validateNotBeforeTime: false, validateIssuer: true, expectedIssuer: `${s.url}/aad` },
    });
    const quote = Buffer.from(inputs["sgxQuote_base64url"] as string, "base64url");
    const report = Buffer.from(inputs["openEnclaveReport_base64url"] as string, "base64url");
    const runtime = Buffer.from(inputs["runtimeData_base64url"] as string, "base64url");
    const json = await client.attestSgxEnclave(quote, { runTimeJson: runtime });
    expect(json.body.runTimeClaims).toMatchObject({ jwk: { kty: "EC", crv: "P-256" } });
    expect(json.body.mrSigner).toBe("4aea5f9a0ed04b11f889aadfe6a1d376213a29a95a85ce7337ae6f7fece6610c");
    const bin = await client.attestOpenEnclave(report, { runTimeData: runtime });
    expect(bin.body.enclaveHeldData && Buffer.from(bin.body.enclaveHeldData).equals(runtime)).toBe(true);
    const draft = await client.attestSgxEnclave(quote, { draftPolicyForAttestation: inputs["draftPolicy_permit"] as string });
    expect(draft.token.algorithm).toBe("none");
    expect(draft.body.policyClaims).toMatchObject({ "custom-name": "4aea5f9a0ed04b11f889aadfe6a1d376213a29a95a85ce7337ae6f7fece6610c" });
  });
});

describe("attest: SevSnpVm (the REST-spec evidence and token pair)", () => {
  const SNP = new URL("../../../test/fixtures/evidence/snp/", import.meta.url);
  it("gives the recorded token's x-ms-sevsnpvm-* claims and x-ms-runtime (api-version 2022-08-01)", async () => {
    const snp = await start({ now: new Date("2022-09-21T21:47:31Z") });
    try {
      const report = readFileSync(new URL("restspec-2022.report-field.b64url.txt", SNP), "utf8").trim();
      const runtime = readFileSync(new URL("restspec-2022.runtime-data.json", SNP));
      const recorded = claimsOf(readFileSync(new URL("restspec-2022.token.jwt", SNP), "utf8").trim());
      const r = await call(snp, "POST", "/aad/attest/SevSnpVm?api-version=2022-08-01", { body: JSON.stringify({ report, runtimeData: { data: runtime.toString("base64url"), dataType: "JSON" } }) });
      expect(r.status, r.text).toBe(200);
      const ours = claimsOf(r.json.token);
      const snpClaims = Object.keys(recorded).filter((k) => k.startsWith("x-ms-sevsnpvm-"));
      expect(snpClaims).toHaveLength(17);
      for (const k of snpClaims) expect(ours[k], k).toEqual(recorded[k]);
      expect(ours["x-ms-attestation-type"]).toBe("sevsnpvm");
      expect(ours["x-ms-runtime"]).toEqual(recorded["x-ms-runtime"]);
      // A changed byte of the report is refused.
      const text = Buffer.from(report, "base64url").toString("utf8");
      const j = JSON.parse(text) as { SnpReport: string };
      const bytes = Buffer.from(j.SnpReport, "base64url");
      bytes[0x50] = (bytes[0x50] as number) ^ 1;
      const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(text), SnpReport: bytes.toString("base64url") })).toString("base64url");
      const bad = await call(snp, "POST", "/aad/attest/SevSnpVm?api-version=2022-08-01", { body: JSON.stringify({ report: tampered, runtimeData: { data: runtime.toString("base64url"), dataType: "JSON" } }) });
      expect(bad.status).toBe(400);
      expect(bad.json.error.code).toBe("InvalidParameter");
    } finally {
      await snp.close();
    }
  });
});

describe("attest: TdxVm (api-version 2025-06-01)", () => {
  it("a real TDX v4 quote (Phala sample) attests, as `quote` or `report`; before 2025-06-01 the type is unknown", async () => {
    const tdx = await start({ now: new Date("2025-06-25T00:00:00Z") });
    try {
      const quote = readFileSync(new URL("../../../test/fixtures/evidence/tdx/phala.tdx-quote-v4.bin", import.meta.url)).toString("base64url");
      for (const field of ["quote", "report"]) {
        const r = await call(tdx, "POST", "/aad/attest/TdxVm?api-version=2025-06-01", { body: JSON.stringify({ [field]: quote }) });
        expect(r.status, r.text).toBe(200);
        const c = claimsOf(r.json.token);
        expect(c["x-ms-attestation-type"]).toBe("tdxvm");
        expect(Object.keys(c).some((k) => k.startsWith("tdx_") || k.startsWith("x-ms-tdx"))).toBe(true);
      }
      expect((await call(tdx, "POST", "/aad/attest/TdxVm?api-version=2022-08-01", { body: JSON.stringify({ quote }) })).status).toBe(400);
    } finally {
      await tdx.close();
    }
  });
});
