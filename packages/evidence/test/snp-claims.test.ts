/**
 * SevSnpVm incoming claims: the REST-spec evidence/token pair gives all 17 `x-ms-sevsnpvm-*`
 * claims of its token (and `x-ms-attestation-type`, `x-ms-runtime`), and each ruling of
 * RULINGS-amd.md holds: reported (not current) TCB, the Turin byte mapping, Binary runtime data,
 * init-time data, and the newer unverified claim names.
 */
import { describe, expect, it } from "vitest";
import { appraiseEvidence } from "../src/appraise.js";
import { appraiseSnp, parseSnpReport, snpClaims } from "../src/snp/index.js";
import type { EvidenceClaim } from "../src/types.js";
import { fixture, fixtureText, patch, SNP_SAMPLES } from "./snp-support.js";

const REST_TIME = new Date("2022-09-21T21:47:31Z");
const token = JSON.parse(Buffer.from(fixtureText("snp/restspec-2022.token.jwt").split(".")[1] as string, "base64url").toString("utf8")) as Record<string, unknown>;
const byType = (claims: readonly EvidenceClaim[]) => Object.fromEntries(claims.map((c) => [c.type, c.value]));

describe("the REST-spec SevSnpVm pair", () => {
  it("gives all 17 x-ms-sevsnpvm-* claims of its token, with the same values and types", async () => {
    const a = await appraiseSnp(fixture("snp/restspec-2022.report-field.b64url.txt"), { now: REST_TIME, runtimeData: fixture("snp/restspec-2022.runtime-data.json") });
    const expected = Object.entries(token).filter(([k]) => k.startsWith("x-ms-sevsnpvm-"));
    expect(expected).toHaveLength(17);
    const got = byType(a.claims);
    for (const [k, v] of expected) expect(got[k], k).toStrictEqual(v);
    expect(a.claims.filter((c) => c.type.startsWith("x-ms-sevsnpvm-"))).toHaveLength(17);
    expect(a.claims.every((c) => c.issuer === "AttestationService")).toBe(true);
  });

  it("gives x-ms-attestation-type sevsnpvm and the token's x-ms-runtime (keys sorted, as MAA serializes)", async () => {
    const a = await appraiseSnp(fixture("snp/restspec-2022.report-field.b64url.txt"), { now: REST_TIME, runtimeData: fixture("snp/restspec-2022.runtime-data.json") });
    const got = byType(a.claims);
    expect(got["x-ms-attestation-type"]).toBe(token["x-ms-attestation-type"]);
    expect(JSON.parse(got["x-ms-runtime"] as string)).toStrictEqual(token["x-ms-runtime"]);
    expect(got["x-ms-runtime"]).toBe(JSON.stringify(token["x-ms-runtime"]));
    // The input had "kid" before "key_ops"; the claim has them sorted.
    expect(fixtureText("snp/restspec-2022.runtime-data.json").indexOf('"kid"')).toBeLessThan(fixtureText("snp/restspec-2022.runtime-data.json").indexOf('"key_ops"'));
    expect((got["x-ms-runtime"] as string).indexOf('"key_ops"')).toBeLessThan((got["x-ms-runtime"] as string).indexOf('"kid"'));
    // Not incoming claims: the service and the policy add these.
    for (const k of ["x-ms-compliance-status", "x-ms-policy-hash", "x-ms-ver", "nonce"]) expect(got).not.toHaveProperty(k);
  });

  it("the claims are in the token's (sorted) order, x-ms-attestation-type first", async () => {
    const r = parseSnpReport(SNP_SAMPLES["restspec-2022"].report()).value;
    if (!r) throw new Error("no report");
    const types = snpClaims(r).claims.map((c) => c.type);
    expect(types[0]).toBe("x-ms-attestation-type");
    expect(types.slice(1)).toEqual([...types.slice(1)].sort());
  });
});

describe("rulings", () => {
  const rest = SNP_SAMPLES["restspec-2022"].report();
  const claimsOf = (bytes: Uint8Array, product?: "Turin") => {
    const r = parseSnpReport(bytes, product ? { product } : {}).value;
    if (!r) throw new Error("no report");
    return byType(snpClaims(r).claims);
  };

  it("the SVN claims come from reported_tcb, not current_tcb", () => {
    const c = claimsOf(patch(patch(rest, 0x38, [9, 9, 0, 0, 0, 0, 9, 99]), 0x180, [1, 2, 0, 0, 0, 0, 3, 41]));
    expect([c["x-ms-sevsnpvm-bootloader-svn"], c["x-ms-sevsnpvm-tee-svn"], c["x-ms-sevsnpvm-snpfw-svn"], c["x-ms-sevsnpvm-microcode-svn"]]).toEqual([1, 2, 3, 41]);
  });

  it("on Turin the SVN claims read bytes 1, 2, 3 and 7 (the FMC byte 0 has no claim)", () => {
    const c = claimsOf(patch(rest, 0x180, [5, 1, 2, 3, 0, 0, 0, 41]), "Turin");
    expect([c["x-ms-sevsnpvm-bootloader-svn"], c["x-ms-sevsnpvm-tee-svn"], c["x-ms-sevsnpvm-snpfw-svn"], c["x-ms-sevsnpvm-microcode-svn"]]).toEqual([1, 2, 3, 41]);
    expect(Object.values(c)).not.toContain(5);
  });

  it("policy bits 16, 18, 19 give smt-allowed, migration-allowed, is-debuggable", () => {
    const c = claimsOf(patch(rest, 0x08, [0, 0, 0x0e]));
    expect([c["x-ms-sevsnpvm-smt-allowed"], c["x-ms-sevsnpvm-migration-allowed"], c["x-ms-sevsnpvm-is-debuggable"]]).toEqual([false, true, true]);
  });

  it("the newer unverified names (chipid, singlesocket …) are not issued", () => {
    const c = claimsOf(patch(rest, 0x0a, [0xff, 0x03]));
    for (const k of ["chipid", "chip-family", "singlesocket", "rapl-disabled", "mem-aes256-xts-required", "page-swap-disabled", "ciphertext-hiding-dram-enabled", "cxl-allowed"]) {
      expect(c).not.toHaveProperty(`x-ms-sevsnpvm-${k}`);
    }
    expect(Object.keys(c)).toHaveLength(18);
  });

  it("Binary runtime data is bound (SHA-256 checked) but gives no claim", async () => {
    const data = fixture("snp/restspec-2022.runtime-data.json");
    const a = await appraiseSnp(rest, { now: REST_TIME, collateral: fixture("snp/restspec-2022.vcek-chain.pem"), runtimeData: data, runtimeDataType: "Binary" });
    expect(a.verified).toBe(true);
    expect(a.checks.find((c) => c.id === "snp.runtime-data")?.status).toBe("passed");
    expect(a.claims.map((c) => c.type).filter((t) => !t.startsWith("x-ms-sevsnpvm-"))).toEqual(["x-ms-attestation-type"]);
  });

  it("JSON runtime data that is no JSON object is refused (P5217), with no x-ms-runtime", async () => {
    const data = new TextEncoder().encode("[1,2]");
    const a = await appraiseSnp(rest, { now: REST_TIME, collateral: fixture("snp/restspec-2022.vcek-chain.pem"), runtimeData: data });
    expect(a.checks.filter((c) => c.status === "failed").map((c) => [c.id, c.code])).toEqual([
      ["snp.runtime-data", "P5214"],
      ["snp.runtime-data-json", "P5217"],
    ]);
    expect(a.claims.map((c) => c.type)).not.toContain("x-ms-runtime");
  });

  it("JSON init-time data gives x-ms-inittime (sorted keys); white space and trailing NULs are ignored", () => {
    const r = parseSnpReport(rest).value;
    if (!r) throw new Error("no report");
    const init = new TextEncoder().encode(' {"b": 1, "a": {"d": true, "c": [2]}}\n\u0000\u0000');
    const c = byType(snpClaims(r, undefined, { data: init, type: "JSON" }).claims);
    expect(c["x-ms-inittime"]).toBe('{"a":{"c":[2],"d":true},"b":1}');
  });
});

describe("entry points", () => {
  it("appraiseSnp takes the parsed JSON report object too", async () => {
    const report = Buffer.from(fixture("snp/restspec-2022.snp-report.bin")).toString("base64url");
    const chain = Buffer.from(fixture("snp/restspec-2022.vcek-chain.pem")).toString("base64url");
    const a = await appraiseSnp({ SnpReport: report, VcekCertChain: chain }, { now: REST_TIME });
    expect(a.verified).toBe(true);
    expect(a.fields).toMatchObject({ evidence: "sev-snp", form: "snp-json", SnpReport_bytes: 1184 });
  });

  it("appraiseEvidence dispatches the REST example's attest request to the SNP appraiser", async () => {
    const body = JSON.stringify({
      report: fixtureText("snp/restspec-2022.report-field.b64url.txt"),
      runtimeData: { data: Buffer.from(fixture("snp/restspec-2022.runtime-data.json")).toString("base64url"), dataType: "JSON" },
      nonce: "noncesevsnp987",
    });
    const a = await appraiseEvidence(body, { now: REST_TIME });
    expect(a.type).toBe("SevSnpVm");
    expect(a.verified).toBe(true);
    const got = byType(a.claims);
    for (const [k, v] of Object.entries(token).filter(([k]) => k.startsWith("x-ms-sevsnpvm-"))) expect(got[k], k).toStrictEqual(v);
    expect(got["x-ms-runtime"]).toBe(JSON.stringify(token["x-ms-runtime"]));
  });
});
