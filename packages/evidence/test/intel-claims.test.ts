/**
 * Incoming claims and the rulings of RULINGS.md: input forms, SGX claims (names, types, issuer,
 * `$` aliases, KSS), runtime data (Binary, JSON with MAA's sorted serialization), init-time data,
 * quotehash, TDX claims, and the token MAA would issue (engine claims, x-ms-policy, nonce, times).
 */
import { compile, evaluate } from "@maa-policy/core";
import { describe, expect, it } from "vitest";
import { toBase64Url, decodeEvidenceInput } from "../src/input.js";
import { serializeJsonClaim } from "../src/claims/runtime.js";
import { appraiseEvidence, attestationToken, policyHashOf } from "../src/index.js";
import { toHex } from "../src/bytes.js";
import { fixture, fixtureText } from "./intel-support.js";

const NOW = new Date("2021-04-17T00:00:00Z");
const quote = fixture("sgx/azsdk-debug.sgx-quote.bin");
const runtime = fixture("sgx/azsdk.runtime-data.bin");
const byType = (cs: readonly { type: string; value: unknown }[]) => Object.fromEntries(cs.map((c) => [c.type, c.value]));
const sha256hex = async (b: Uint8Array, alg = "SHA-256") => toHex(new Uint8Array(await crypto.subtle.digest(alg, b.slice())));

describe("input forms", () => {
  const hex = toHex(quote);
  const b64 = btoa(String.fromCharCode(...quote));
  const forms: [string, Uint8Array | string, string][] = [
    ["raw binary", quote, "binary"],
    ["hex text", hex, "hex"],
    ["hex text with newlines", hex.replace(/(.{64})/g, "$1\n"), "hex"],
    ["base64 text", b64, "base64"],
    ["base64url text", toBase64Url(quote), "base64url"],
    ["an attest request body", JSON.stringify({ quote: toBase64Url(quote) }), "request-json"],
  ];
  for (const [title, input, form] of forms) {
    it(title, async () => {
      const a = await appraiseEvidence(input, { now: NOW });
      expect(a.input?.form).toBe(form);
      expect(a.type).toBe("SgxEnclave");
      expect(a.verified).toBe(true);
    });
  }

  it("a request body brings runtime data, init-time data, nonce and draft policy", () => {
    const d = decodeEvidenceInput(JSON.stringify({ report: toBase64Url(fixture("sgx/azsdk-debug.oe-report.bin")), runtimeData: { data: toBase64Url(runtime), dataType: "JSON" }, initTimeData: { data: "e30", dataType: "Binary" }, nonce: "n-1", draftPolicyForAttestation: "version=1.0;" }));
    expect(d).toMatchObject({ form: "request-json", type: "OpenEnclave", runtimeDataType: "JSON", initTimeDataType: "Binary", nonce: "n-1", draftPolicyForAttestation: "version=1.0;" });
    expect(d.runtimeData).toEqual(runtime);
  });

  it("a request body with non-ASCII text (a draft policy) is still JSON", () => {
    const d = decodeEvidenceInput(new TextEncoder().encode(JSON.stringify({ quote: toBase64Url(quote), draftPolicyForAttestation: "version=1.0; // é" })));
    expect(d.form).toBe("request-json");
    expect(d.draftPolicyForAttestation).toBe("version=1.0; // é");
  });

  it("an invalid `now` is caller misuse (TypeError)", async () => {
    await expect(appraiseEvidence(quote, { now: new Date("not a date") })).rejects.toThrow(TypeError);
  });

  it("the SevSnpVm `report` of a request body is recognised as SNP JSON", () => {
    const d = decodeEvidenceInput(JSON.stringify({ report: fixtureText("snp/restspec-2022.report-field.b64url.txt").trim() }));
    expect(d.type).toBe("SevSnpVm");
  });

  it("tells every type from its bytes", () => {
    expect(decodeEvidenceInput(fixture("sgx/azsdk-debug.oe-report.bin")).type).toBe("OpenEnclave");
    expect(decodeEvidenceInput(fixture("tdx/phala.tdx-quote-v4.bin")).type).toBe("TdxVm");
    expect(decodeEvidenceInput(fixture("snp/restspec-2022.snp-report.bin")).type).toBe("SevSnpVm");
    expect(decodeEvidenceInput(fixture("tdx/constellation-azure-tdx.hclreport.bin")).type).toBe("TdxVm");
  });

  it("unrecognised input gets P5004", async () => {
    for (const bad of ["", "hello, world!", "{not json", "[1,2]", JSON.stringify({ quote: 5 }), JSON.stringify({ quote: "***" })]) {
      const a = await appraiseEvidence(bad, { now: NOW });
      expect(a.verified).toBe(false);
      expect(a.diagnostics.some((d) => d.code === "P5004")).toBe(true);
    }
  });

  it("bytes of no known type need a type (P5004)", async () => {
    const a = await appraiseEvidence(new Uint8Array([9, 9, 9, 9, 0, 0, 0, 0]), { now: NOW });
    expect(a.diagnostics.map((d) => d.message)).toContain("the evidence type cannot be told from the bytes: give the type (SgxEnclave, OpenEnclave, SevSnpVm or TdxVm)");
  });
});

describe("SGX claims", () => {
  it("names, types, issuer and order, with the `$` aliases", async () => {
    const a = await appraiseEvidence(quote, { now: NOW, runtimeData: runtime });
    expect(a.claims.every((c) => c.issuer === "AttestationService")).toBe(true);
    expect(a.claims.map((c) => c.type)).toEqual([
      "x-ms-sgx-is-debuggable", "x-ms-sgx-mrsigner", "x-ms-sgx-mrenclave", "x-ms-sgx-product-id", "x-ms-sgx-svn", "x-ms-sgx-report-data",
      "x-ms-sgx-ehd", "x-ms-attestation-type", "x-ms-sgx-collateral",
      "$is-debuggable", "$product-id", "$sgx-mrsigner", "$sgx-mrenclave", "$svn",
    ]);
    const c = byType(a.claims);
    expect(c).toMatchObject({ "x-ms-sgx-is-debuggable": true, "x-ms-sgx-product-id": 1, "x-ms-sgx-svn": 1, "$is-debuggable": true, "$svn": 1, "x-ms-attestation-type": "sgx" });
    expect(c["x-ms-sgx-ehd"]).toBe(toBase64Url(runtime));
    expect(JSON.parse(c["x-ms-sgx-collateral"] as string)).toEqual({ quotehash: await sha256hex(quote) });
  });

  it("JSON runtime data: x-ms-runtime with sorted keys, no ehd claims", async () => {
    const a = await appraiseEvidence(quote, { now: NOW, runtimeData: runtime, runtimeDataType: "JSON" });
    const c = byType(a.claims);
    expect(c["x-ms-sgx-ehd"]).toBeUndefined();
    expect(c["x-ms-runtime"]).toBe('{"jwk":{"crv":"P-256","kty":"EC","use":"sig","x":"18wHLeIgW9wVN6VD1Txgpqy2LszYkMf6J8njVAibvhM","y":"cV4dS4UaLMgP_4fY4j8ir7cl1TXlFdAgcx55o7TkcSA"}}');
  });

  it("MAA's serialization sorts keys at every depth and keeps arrays in order", () => {
    expect(serializeJsonClaim({ b: [{ z: 1, a: 2 }], a: { y: true, x: null } })).toBe('{"a":{"x":null,"y":true},"b":[{"a":2,"z":1}]}');
  });

  it("JSON runtime data that is not an object is refused (P5022)", async () => {
    const bad = new TextEncoder().encode("[1]");
    const a = await appraiseEvidence(quote, { now: NOW, runtimeData: bad, runtimeDataType: "JSON" });
    expect(a.checks.find((c) => c.id === "sgx.runtime-data-json")?.code).toBe("P5022");
    expect(a.verified).toBe(false);
  });

  it("OpenEnclave quotehash: the whole report by default (2022), the inner quote on request (2021)", async () => {
    const oe = fixture("sgx/azsdk-debug.oe-report.bin");
    const now = await appraiseEvidence(oe, { now: NOW });
    const old = await appraiseEvidence(oe, { now: NOW, openEnclaveQuoteHash: "quote" });
    expect(JSON.parse(byType(now.claims)["x-ms-sgx-collateral"] as string)).toEqual({ quotehash: await sha256hex(oe) });
    expect(JSON.parse(byType(old.claims)["x-ms-sgx-collateral"] as string)).toEqual({ quotehash: await sha256hex(quote) });
    expect(byType(now.claims)["x-ms-attestation-type"]).toBe("sgx");
  });

  it("a release enclave is not debuggable", async () => {
    const a = await appraiseEvidence(fixture("sgx/azsdk-nondebug.oe-report.bin"), { now: NOW });
    expect(byType(a.claims)).toMatchObject({ "x-ms-sgx-is-debuggable": false, "x-ms-sgx-mrsigner": expect.stringMatching(/^2c1a4495/) as unknown });
  });

  it("init-time data: SHA-256 bound in config_id[0:32]; a mismatch is P5021; JSON gives x-ms-inittime", async () => {
    const a = await appraiseEvidence(quote, { now: NOW, initTimeData: new TextEncoder().encode('{"b":1,"a":2}'), initTimeDataType: "JSON" });
    const c = a.checks.find((x) => x.id === "sgx.init-time-data");
    expect(c?.status).toBe("failed");
    expect(c?.code).toBe("P5021");
    expect(c?.detail).toContain("config_id[0:32] at offset 240");
    expect(byType(a.claims)["x-ms-inittime"]).toBe('{"a":2,"b":1}');
  });

  it("KSS claims appear only when the KSS flag is set", async () => {
    const a = await appraiseEvidence(quote, { now: NOW });
    expect(a.claims.some((c) => c.type.startsWith("x-ms-sgx-config"))).toBe(false);
    const b = quote.slice();
    b[48 + 48] = (b[48 + 48] as number) | 0x80;
    const k = await appraiseEvidence(b, { now: NOW });
    expect(k.verified).toBe(false); // the flag is signed
    expect(byType(k.claims)).toMatchObject({ "x-ms-sgx-config-svn": 0, "x-ms-sgx-config-id": "0".repeat(128), "x-ms-sgx-isv-family-id": "0".repeat(32), "x-ms-sgx-isv-extended-product-id": "0".repeat(32) });
  });
});

describe("TDX claims", () => {
  it("the EAT profile names, hex in quote byte order, flags and constants", async () => {
    const a = await appraiseEvidence(fixture("tdx/go-tdx-guest.tdx_prod_quote_SPR_E4.dat"), { now: new Date("2023-06-20T00:00:00Z") });
    const c = byType(a.claims);
    expect(a.claims.every((x) => x.issuer === "AttestationService")).toBe(true);
    expect(c["x-ms-attestation-type"]).toBe("tdxvm");
    expect(c["eat_profile"]).toBe("https://aka.ms/maa-eat-profile-tdxvm");
    expect(c["intuse"]).toBe("generic");
    expect((c["tdx_mrseam"] as string).length).toBe(96);
    expect((c["tdx_report_data"] as string).length).toBe(128);
    expect((c["tdx_td_attributes"] as string).length).toBe(16);
    const f = (a.fields["quote"] as Record<string, Record<string, string>>)["td_quote_body"] as Record<string, string>;
    expect(c["tdx_tee_tcb_svn"]).toBe(f["tee_tcb_svn"]);
    expect(c["tdx_seamsvn"]).toBe(parseInt((f["tee_tcb_svn"] as string).slice(0, 2), 16));
    expect(c["tdx_td_attributes_debug"]).toBe(false);
    expect(c["dbgstat"]).toBe("disabled");
    expect(c["attester_tcb_status"]).toBeUndefined();
  });

  it("the Phala TDX quote sets SEPT_VE_DISABLE", async () => {
    const a = await appraiseEvidence(fixture("tdx/phala.tdx-quote-v4.bin"), { now: new Date("2025-06-25T00:00:00Z") });
    expect(byType(a.claims)).toMatchObject({ tdx_td_attributes_septve_disable: true, tdx_td_attributes_perfmon: false, tdx_td_attributes: "0000001000000000" });
  });

  it("init-time data: SHA-384 bound in mr_config_id", async () => {
    const a = await appraiseEvidence(fixture("tdx/phala.tdx-quote-v4.bin"), { now: new Date("2025-06-25T00:00:00Z"), initTimeData: new Uint8Array([1]) });
    expect(a.checks.find((c) => c.id === "tdx.init-time-data")?.title).toBe("Init-time data bound by mr_config_id = SHA-384");
    expect(a.checks.find((c) => c.id === "tdx.init-time-data")?.code).toBe("P5021");
  });

  it("Binary runtime data gives no TDX claim (only the binding)", async () => {
    const a = await appraiseEvidence(fixture("tdx/phala.tdx-quote-v4.bin"), { now: new Date("2025-06-25T00:00:00Z"), runtimeData: new Uint8Array([1]), runtimeDataType: "Binary" });
    expect(a.claims.some((c) => c.type === "x-ms-runtime" || c.type === "x-ms-sgx-ehd")).toBe(false);
  });
});

describe("the token MAA would issue", () => {
  const policyText = 'version=1.0; authorizationrules{ => permit(); }; issuancerules{ c:[type=="x-ms-sgx-svn"] => issue(type="svn", value=c.value); };';
  const compiled = compile(policyText);

  it("engine claims, issued claims, x-ms-policy, hash, nonce, times, sorted keys", async () => {
    const a = await appraiseEvidence(JSON.stringify({ quote: toBase64Url(quote), runtimeData: { data: toBase64Url(runtime), dataType: "Binary" }, nonce: "abc" }), { now: NOW });
    const e = evaluate(compiled.policy as NonNullable<typeof compiled.policy>, a.claims);
    const now = new Date("2026-01-01T00:00:00Z");
    const t = (await attestationToken(a, e, { now, policyText, issuer: "https://example.attest.azure.net" })) as Record<string, unknown>;
    expect(Object.keys(t)).toEqual([...Object.keys(t)].sort());
    expect(t).toMatchObject({
      svn: 1,
      "x-ms-policy": { svn: 1 },
      "x-ms-policy-hash": await policyHashOf(policyText),
      "x-ms-ver": "1.0",
      nonce: "abc",
      iss: "https://example.attest.azure.net",
      iat: 1767225600,
      nbf: 1767225600,
      exp: 1767225600 + 28800,
      "aas-ehd": toBase64Url(runtime),
      "maa-ehd": toBase64Url(runtime),
      "x-ms-sgx-ehd": toBase64Url(runtime),
    });
    expect(t["x-ms-sgx-collateral"]).toEqual(t["maa-attestationcollateral"]);
    expect(Object.keys(t).some((k) => k.startsWith("$"))).toBe(false);
    expect(t["jti"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("no token when the policy denies", async () => {
    const deny = compile("version=1.0; authorizationrules{ => deny(); };");
    const a = await appraiseEvidence(quote, { now: NOW });
    const e = evaluate(deny.policy as NonNullable<typeof deny.policy>, a.claims);
    expect(await attestationToken(a, e, { now: NOW, policyText: "x" })).toBeUndefined();
  });

  it("a TDX token has the TDX claims at top level", async () => {
    const a = await appraiseEvidence(fixture("tdx/phala.tdx-quote-v4.bin"), { now: new Date("2025-06-25T00:00:00Z") });
    const p = compile("version=1.0; authorizationrules{ => permit(); };");
    const t = (await attestationToken(a, evaluate(p.policy as NonNullable<typeof p.policy>, a.claims), { now: NOW, policyText: "v" })) as Record<string, unknown>;
    expect(t["x-ms-attestation-type"]).toBe("tdxvm");
    expect(typeof t["tdx_mrtd"]).toBe("string");
    expect(t["x-ms-policy"]).toEqual({});
  });
});
