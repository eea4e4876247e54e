/**
 * The real evidence/token pairs, at the library level: the incoming claims of the Azure SDK test
 * quote, evaluated with the service's default policy (test/fixtures/real-world/58), give the
 * claims of the real MAA tokens: the three 2021 tokens (SgxEnclave Binary, SgxEnclave JSON,
 * OpenEnclave) and the two 2022 tokens of the recorded service traffic (service/01 SgxEnclave
 * JSON, service/02 OpenEnclave Binary). Compared: every claim except `iss`, `jti`, `iat`, `nbf`,
 * `exp`, the collateral hashes other than `quotehash`, and the claims the 2021 service did not
 * issue yet (`x-ms-sgx-report-data`, `x-ms-policy`). The 2020 pairs are checked for what they
 * share with today's claims (quotehash, the ehd copies, the measurements).
 */
import { compile, evaluate } from "@maa-policy/core";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appraiseEvidence, attestationToken, type AppraiseOptions } from "../src/index.js";
import { fixture, fixtureText, ROOT } from "./intel-support.js";

const POLICY = readFileSync(path.join(ROOT, "test/fixtures/real-world/58-service-default-openenclave-2021.policy"), "utf8");
const compiled = compile(POLICY);

function payload(jwt: string): Record<string, unknown> {
  const part = jwt.trim().split(".")[1] as string;
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((part.length + 3) % 4)), (c) => c.charCodeAt(0)))) as Record<string, unknown>;
}

function recordedToken(file: string): Record<string, unknown> {
  const rec = JSON.parse(fixtureText(`service/${file}`)) as { networkCallRecords: { Method: string; Response: { BODY: string } }[] };
  const post = rec.networkCallRecords.find((r) => r.Method === "POST") as { Response: { BODY: string } };
  return payload((JSON.parse(post.Response.BODY) as { token: string }).token);
}

const ENVELOPE = ["iss", "jti", "iat", "nbf", "exp"];
const NOT_IN_2021 = ["x-ms-policy", "x-ms-sgx-report-data"];

/** The token claims compared: collateral objects reduced to `quotehash`. */
function comparable(t: Record<string, unknown>, skip: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t)) {
    if (ENVELOPE.includes(k) || skip.includes(k)) continue;
    out[k] = k === "x-ms-sgx-collateral" || k === "maa-attestationcollateral" ? { quotehash: (v as Record<string, unknown>)["quotehash"] } : v;
  }
  return out;
}

async function tokenFor(evidence: Uint8Array | string, options: Omit<AppraiseOptions, "now">) {
  const now = new Date("2021-04-17T00:00:00Z");
  const a = await appraiseEvidence(evidence, { ...options, now });
  expect(a.verified).toBe(true);
  const e = evaluate(compiled.policy as NonNullable<typeof compiled.policy>, a.claims);
  expect(e.decision).toBe("permit");
  return { appraisal: a, token: (await attestationToken(a, e, { now, policyText: POLICY })) as Record<string, unknown> };
}

describe("2021 tokens (sharedwus, 2021-04-17)", () => {
  const cases = [
    ["SgxEnclave, Binary runtime data", "sgx/azsdk-debug.request.sgxenclave-binary.json", "sgx/azsdk-debug.token.sgxenclave-binary.jwt"],
    ["SgxEnclave, JSON runtime data", "sgx/azsdk-debug.request.sgxenclave-json.json", "sgx/azsdk-debug.token.sgxenclave-json.jwt"],
    ["OpenEnclave, Binary runtime data", "sgx/azsdk-debug.request.openenclave-binary.json", "sgx/azsdk-debug.token.openenclave-binary.jwt"],
  ] as const;
  for (const [title, request, jwt] of cases) {
    it(title, async () => {
      // The 2021 service hashed the inner SGX quote for OpenEnclave too.
      const { token } = await tokenFor(fixture(request), { openEnclaveQuoteHash: "quote" });
      const real = payload(fixtureText(jwt));
      expect(comparable(token, NOT_IN_2021)).toEqual(comparable(real, []));
      expect(Object.keys(token).filter((k) => !(k in real)).sort()).toEqual(NOT_IN_2021);
      expect(Object.keys(real).filter((k) => !(k in token))).toEqual([]);
    });
  }

  it("the same claims from the raw quote and runtime data given separately", async () => {
    const { token } = await tokenFor(fixture("sgx/azsdk-debug.sgx-quote.bin"), { runtimeData: fixture("sgx/azsdk.runtime-data.bin"), runtimeDataType: "JSON" });
    expect(comparable(token, NOT_IN_2021)).toEqual(comparable(payload(fixtureText("sgx/azsdk-debug.token.sgxenclave-json.jwt")), []));
  });
});

describe("2022 tokens (service recordings 01 and 02, 2022-05-31)", () => {
  const inputs = JSON.parse(fixtureText("service/10-cpp-test-inputs.derived.json")) as Record<string, string>;

  it("01: SgxEnclave with JSON runtime data", async () => {
    const body = JSON.stringify({ quote: inputs["sgxQuote_base64url"], runtimeData: { data: inputs["runtimeData_base64url"], dataType: "JSON" } });
    const { token } = await tokenFor(body, {});
    expect(comparable(token, [])).toEqual(comparable(recordedToken("01-cpp-Attestation-AttestationTests.AttestWithRuntimeDataJson-SgxEnclave_Aad.json"), []));
  });

  it("02: OpenEnclave with Binary runtime data: quotehash is SHA-256 of the whole OE report", async () => {
    const body = JSON.stringify({ report: inputs["openEnclaveReport_base64url"], runtimeData: { data: inputs["runtimeData_base64url"], dataType: "Binary" } });
    const { token } = await tokenFor(body, {});
    const real = recordedToken("02-cpp-Attestation-AttestationTests.AttestWithRuntimeData-OpenEnclave_Shared.json");
    expect(comparable(token, [])).toEqual(comparable(real, []));
    expect((token["x-ms-sgx-collateral"] as Record<string, string>)["quotehash"]).toBe("928c12bc25633ed7ef54515c79caa37133cb53f4999d60c648d06d4d43e249b8");
  });

  it("the policy hash of the default policy is the service's", async () => {
    const { token } = await tokenFor(fixture("sgx/azsdk-debug.sgx-quote.bin"), {});
    expect(token["x-ms-policy-hash"]).toBe("bROrN897ZfWmWY2V0FLUlu3uwk5xatGnKYHn3zBbSlw");
  });
});

describe("2020 pairs (legacy claim names)", () => {
  it("REST spec 2020: quotehash and the ehd copies", async () => {
    const a = await appraiseEvidence(fixture("sgx/restspec-2020.sgx-quote.bin"), { now: new Date("2020-09-29T00:00:00Z"), runtimeData: fixture("sgx/restspec-2020.runtime-data.bin"), runtimeDataType: "Binary" });
    expect(a.verified).toBe(true);
    const claims = Object.fromEntries(a.claims.map((c) => [c.type, c.value]));
    expect(JSON.parse(claims["x-ms-sgx-collateral"] as string)).toEqual({ quotehash: "f23cf3a98f1dbabd67e7970dcd48683dc9a80d3371acbf696a25863bac283362" });
    expect(claims["x-ms-sgx-product-id"]).toBe(4639);
    expect(claims["x-ms-sgx-is-debuggable"]).toBe(false);
    expect(claims["x-ms-sgx-mrenclave"]).toBe("d971961f724b71dfc5f1553ac4efb68ad160e849602cdd851cb840423e592a73");
    expect(claims["x-ms-sgx-ehd"]).toMatch(/^wFdC6gBMrrej2JTuNlTjWOe-ebL7Rz34/);
  });

  it("the 2020 preview request body (`Quote`, `EnclaveHeldData`)", async () => {
    // Like 2021, the 2020 service hashed the inner quote.
    const a = await appraiseEvidence(fixture("sgx/azsample-2020.post.attest.body.json"), { now: new Date("2020-06-01T00:00:00Z"), openEnclaveQuoteHash: "quote" });
    expect(a.type).toBe("OpenEnclave");
    expect(a.input?.form).toBe("request-json");
    expect(a.checks.find((c) => c.id === "sgx.runtime-data")?.status).toBe("passed");
    const claims = Object.fromEntries(a.claims.map((c) => [c.type, c.value]));
    // The file holds the decoded header, a blank line, then the decoded body.
    const text = fixtureText("sgx/azsample-2020.post.attest.response.jwt.body.json");
    const body = JSON.parse(text.slice(text.indexOf("}") + 1)) as Record<string, unknown>;
    expect((body["maa-attestationcollateral"] as Record<string, unknown>)["maa-quotehash"]).toBe(JSON.parse(claims["x-ms-sgx-collateral"] as string)["quotehash"]);
    expect(claims["x-ms-sgx-ehd"]).toBe(body["maa-ehd"]);
    expect(claims["x-ms-sgx-svn"]).toBe(body["svn"]);
  });
});
