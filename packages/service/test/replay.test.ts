/**
 * Replay of real MAA traffic (fixtures/recordings, copied byte for byte from shared/service with
 * its README): for each recorded exchange the same request to our service gives the same status
 * and the same claims, up to `iss`, `jti`, the times and the keys; the recorded policy JWS bodies
 * are accepted and stored verbatim. The C++ recordings hold responses only; the request bodies
 * come from file 10 (the test inputs) or from the recorded responses themselves (a GET returns the
 * JWS that was PUT). Attest exchanges (files 01-03) are replayed in attest.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSignerToken } from "@maa-policy/core";
import type { RunningService } from "@maa-policy/service";
import { RECORDED_INPUTS, RESET_UNSIGNED, call, claimsOf, headerOf, makeSigner, recording, start, type RecordedCall, type Res } from "./support/service.js";

// Key generation and process start-up are slow when the machine is loaded (the whole suite runs in parallel).
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const inputs = RECORDED_INPUTS;

/** The path and query of a recorded URL, under our provider `name`. */
function pathOf(rec: RecordedCall, name: string): string {
  const u = new URL(rec.Url);
  return `/${name}${u.pathname}${u.search}`;
}

const ENVELOPE = ["iss", "iat", "nbf", "exp", "jti"];
function withoutEnvelope(claims: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([k]) => !ENVELOPE.includes(k)));
}

/** Our response matches the recorded one: status, error code, or token header shape, claims and lifetime. */
function expectSame(ours: Res, rec: RecordedCall): void {
  expect(ours.status, ours.text).toBe(Number(rec.Response.STATUS_CODE));
  const recorded = JSON.parse(rec.Response.BODY) as { token?: string; error?: { code: string; innererror?: unknown } };
  if (recorded.error) {
    expect(ours.json.error.code).toBe(recorded.error.code);
    expect(Object.keys(ours.json.error)).toEqual(Object.keys(recorded.error));
    return;
  }
  const theirs = recorded.token as string;
  expect(Object.keys(headerOf(ours.json.token))).toEqual(Object.keys(headerOf(theirs)));
  expect(headerOf(ours.json.token).alg).toBe(headerOf(theirs).alg);
  const a = claimsOf(ours.json.token);
  const b = claimsOf(theirs);
  expect(Object.keys(a)).toEqual(Object.keys(b));
  expect(withoutEnvelope(a)).toEqual(withoutEnvelope(b));
  expect(a["exp"] - a["iat"]).toBe(b["exp"] - b["iat"]);
  expect(a["nbf"]).toBe(a["iat"]);
}

let s: RunningService;
let contributor: string;

beforeAll(async () => {
  // The clock of the recordings (2022-05-31), so the recorded signing certificates are valid.
  s = await start({ now: new Date("2022-05-31T22:50:28Z") });
  contributor = await s.mintToken("Contributor");
});
afterAll(async () => {
  await s?.close();
});

describe("replay of the recorded traffic", () => {
  it("04: signed policy set (the recorded RS256 JWS) / get / reset / get shows the default, byte for byte", async () => {
    const recs = recording("04-cpp-Policy-PolicyTests.PolicyTests-ModifyGeneratedKey_AAD_SgxEnclave.json").filter((r) => !r.Url.includes("/certs"));
    expect(recs.map((r) => r.Method)).toEqual(["PUT", "GET", "POST", "GET"]);
    const storedJws = claimsOf(JSON.parse(recs[1]!.Response.BODY).token)["x-ms-policy"] as string;
    expect(headerOf(storedJws).alg).toBe("RS256");
    await s.providers.create({ name: "replay04", trustModel: "aad" });
    expectSame(await call(s, "PUT", pathOf(recs[0]!, "replay04"), { token: contributor, body: storedJws, contentType: "text/plain" }), recs[0]!);
    expectSame(await call(s, "GET", pathOf(recs[1]!, "replay04"), { token: contributor }), recs[1]!);
    expectSame(await call(s, "POST", pathOf(recs[2]!, "replay04"), { token: contributor, body: RESET_UNSIGNED, contentType: "text/plain" }), recs[2]!);
    expectSame(await call(s, "GET", pathOf(recs[3]!, "replay04"), { token: contributor }), recs[3]!);
  });

  it("05: unsigned policy on Tpm: set (the minimal JWS of file 10) / get / reset / get is empty", async () => {
    const recs = recording("05-cpp-Policy-PolicyTests.PolicyTests-ModifyUnsecured_AAD_Tpm.json").filter((r) => !r.Url.includes("/certs"));
    await s.providers.create({ name: "replay05", trustModel: "aad" });
    const bodies = [inputs["minimalPolicy_unsignedJws"], undefined, RESET_UNSIGNED, undefined];
    for (const [i, rec] of recs.entries()) {
      const body = bodies[i];
      expectSame(await call(s, rec.Method, pathOf(rec, "replay05"), { token: contributor, ...(body ? { body, contentType: "text/plain" } : {}) }), rec);
    }
  });

  it("06: OpenID metadata equals the recorded document with our URLs; /certs keys carry the recorded members", async () => {
    const recs = recording("06-cpp-Attestation-MetadataTests.GetOpenIdMetadata-Isolated.json");
    for (const rec of recs) {
      const ours = await call(s, "GET", pathOf(rec, "isolated"));
      expect(ours.status).toBe(200);
      const theirs = JSON.parse(rec.Response.BODY);
      if (rec.Url.includes("openid")) {
        const instance = theirs.issuer as string;
        expect(JSON.stringify(ours.json)).toBe(JSON.stringify(theirs).split(instance).join(`${s.url}/isolated`));
      } else {
        for (const key of theirs.keys) for (const member of Object.keys(key)) expect(ours.json.keys[0]).toHaveProperty(member);
      }
    }
  });

  it("07: policy management certificates of an isolated provider (the recorded signer)", async () => {
    const recs = recording("07-cpp-CertificateTests.GetPolicyManagementCertificatesIsolated.json").filter((r) => r.Url.includes("/certificates"));
    const recordedSigner = claimsOf(JSON.parse(recs[0]!.Response.BODY).token)["x-ms-policy-certificates"].keys[0].x5c[0] as string;
    await s.providers.create({ name: "replay07", trustModel: "isolated", signers: [recordedSigner] });
    expectSame(await call(s, "GET", pathOf(recs[0]!, "replay07"), { token: contributor }), recs[0]!);
  });

  it("08: adding a certificate on a non-isolated provider is 400 InvalidOperation", async () => {
    const recs = recording("08-cpp-CertificateTests.VerifyFailedAddCertificate.json").filter((r) => r.Url.includes("certificates"));
    const signer = await makeSigner("replay08");
    const body = (await createSignerToken(signer.certPem, signer.keyPem, signer.certPem)).token;
    expectSame(await call(s, "POST", pathOf(recs[0]!, "aad"), { token: contributor, body, contentType: "text/plain" }), recs[0]!);
  });

  it("09: Tpm policy set and reset as recorded; the TPM attest leg is the one exchange not emulated", async () => {
    const recs = recording("09-cpp-TpmAttestationTests.AttestTpm.json").filter((r) => !r.Url.includes("/certs"));
    expect(recs.map((r) => `${r.Method} ${new URL(r.Url).pathname}`)).toEqual(["PUT /policies/Tpm", "POST /attest/Tpm", "POST /policies/Tpm:reset"]);
    await s.providers.create({ name: "replay09", trustModel: "aad" });
    expectSame(await call(s, "PUT", pathOf(recs[0]!, "replay09"), { token: contributor, body: inputs["minimalPolicy_unsignedJws"], contentType: "text/plain" }), recs[0]!);
    const tpm = await call(s, "POST", pathOf(recs[1]!, "replay09"), { body: JSON.stringify({ data: Buffer.from(inputs["tpmRequestText"] as string).toString("base64url") }) });
    expect(tpm.status).toBe(400);
    expect(tpm.json.error.code).toBe("InvalidOperation");
    expectSame(await call(s, "POST", pathOf(recs[2]!, "replay09"), { token: contributor, body: RESET_UNSIGNED, contentType: "text/plain" }), recs[2]!);
  });
});
