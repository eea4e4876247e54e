/**
 * Verification of Intel evidence, each step separately: every real sample verifies at a time its
 * certificates are valid; one changed bit anywhere in the signed parts is refused (fast-check over
 * random positions, SGX and TDX); a chain to a foreign root, an expired certificate at `now`, a
 * revoked PCK certificate with collateral, a wrong runtime data; collateral of the Phala samples.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appraiseIntelQuote } from "../src/intel/appraise.js";
import { readIntelCollateral, verifyIntelCollateral } from "../src/intel/collateral.js";
import { decodeIntelQuote, type IntelQuote } from "../src/intel/quote.js";
import { verifyIntelQuote } from "../src/intel/verify.js";
import { appraiseEvidence, type Appraisal, type VerificationCheck } from "../src/index.js";
import { fixture, fixtureText, INTEL_SAMPLES, makeCrl, makePki, makeSgxQuote, type IntelSample } from "./intel-support.js";

const status = (a: Appraisal) => Object.fromEntries(a.checks.map((c) => [c.id, c.status]));
const failed = (cs: readonly VerificationCheck[]) => cs.filter((c) => c.status === "failed");

describe("the real samples verify", () => {
  for (const [name, s] of Object.entries(INTEL_SAMPLES) as [IntelSample, (typeof INTEL_SAMPLES)[IntelSample]][]) {
    it(`${name} at ${s.at}`, async () => {
      const a = await appraiseEvidence(fixture(name), { now: new Date(s.at) });
      expect(failed(a.checks)).toEqual([]);
      expect(a.verified).toBe(true);
      const p = s.type === "TdxVm" ? "tdx" : "sgx";
      expect(status(a)).toMatchObject({
        [`${p}.quote-signature`]: "passed",
        [`${p}.qe-binding`]: "passed",
        [`${p}.qe-report-signature`]: "passed",
        [`${p}.pck.chain`]: "passed",
        [`${p}.pck.certificate-validity`]: "passed",
        [`${p}.collateral`]: "not-checked",
        [`${p}.runtime-data`]: "not-checked",
      });
      expect(a.checks.find((c) => c.id === `${p}.collateral`)?.detail).toBe("no collateral supplied: TCB status, QE identity and CRLs were not checked");
    });
  }

  it("pins the root key: the PCK chain of the 2021 quote ends at the 2033 root certificate", async () => {
    const a = await appraiseEvidence(fixture("sgx/azsdk-debug.sgx-quote.bin"), { now: new Date("2021-04-17T00:00:00Z") });
    const pck = (a.fields["pck_certificates"] as readonly Record<string, string>[]).at(-1);
    expect(pck?.["not_after"]).toBe("2033-05-21T10:41:10.000Z");
  });
});

/** The byte ranges a signature covers: header+body, the signature, the attestation key, QE report, QE signature, QE auth data. */
function signedRanges(q: IntelQuote, base: number): [number, number][] {
  const sig = q.signatureOffset - base;
  return [
    [0, q.signed.length],
    [sig, sig + 128],
    [q.qeReportOffset - base, q.qeReportOffset - base + 384 + 64],
    [q.qeReportOffset - base + 450, q.qeReportOffset - base + 450 + q.qeAuthData.length],
  ];
}

function flipArb(ranges: [number, number][]) {
  return fc.tuple(fc.constantFrom(...ranges), fc.nat(), fc.integer({ min: 0, max: 7 })).map(([[a, b], n, bit]) => [a + (n % (b - a)), bit] as const);
}

describe("tampering is refused", () => {
  const cases = [
    ["sgx/azsdk-debug.sgx-quote.bin", "2021-04-17T00:00:00Z", "SgxEnclave"],
    ["tdx/phala.tdx-quote-v4.bin", "2025-06-25T00:00:00Z", "TdxVm"],
  ] as const;
  for (const [name, at, type] of cases) {
    it(`every single-bit flip in the signed parts of ${name}`, async () => {
      const bytes = fixture(name);
      const q = decodeIntelQuote(bytes).value as IntelQuote;
      await fc.assert(
        fc.asyncProperty(flipArb(signedRanges(q, 0)), async ([pos, bit]) => {
          const b = bytes.slice();
          b[pos] = (b[pos] as number) ^ (1 << bit);
          const a = await appraiseEvidence(b, { type, now: new Date(at) });
          expect(a.verified).toBe(false);
          const f = failed(a.checks);
          expect(f.length + a.diagnostics.filter((d) => d.severity === "error").length).toBeGreaterThan(0);
          for (const c of f) expect(c.detail.length).toBeGreaterThan(0);
        }),
        { numRuns: 40 },
      );
    });
  }

  it("a changed body byte is reported as a bad quote signature (P5010)", async () => {
    const b = fixture("sgx/azsdk-debug.sgx-quote.bin").slice();
    b[48 + 64] ^= 1; // mr_enclave
    const a = await appraiseEvidence(b, { now: new Date("2021-04-17T00:00:00Z") });
    expect(failed(a.checks).map((c) => [c.id, c.code])).toEqual([["sgx.quote-signature", "P5010"]]);
  });

  it("a changed QE report byte breaks the QE report signature (P5012)", async () => {
    const b = fixture("sgx/azsdk-debug.sgx-quote.bin").slice();
    b[436 + 128 + 10] ^= 1;
    const a = await appraiseEvidence(b, { now: new Date("2021-04-17T00:00:00Z") });
    expect(failed(a.checks).map((c) => c.code)).toEqual(["P5012"]);
  });

  it("a changed QE auth data byte breaks the QE binding (P5011)", async () => {
    const b = fixture("sgx/azsdk-debug.sgx-quote.bin").slice();
    b[436 + 578] ^= 1;
    const a = await appraiseEvidence(b, { now: new Date("2021-04-17T00:00:00Z") });
    expect(failed(a.checks).map((c) => c.code)).toEqual(["P5011"]);
  });

  it("a wrong runtime data (P5020)", async () => {
    const rd = fixture("sgx/azsdk.runtime-data.bin").slice();
    rd[5] ^= 1;
    const a = await appraiseEvidence(fixture("sgx/azsdk-debug.sgx-quote.bin"), { now: new Date("2021-04-17T00:00:00Z"), runtimeData: rd });
    expect(a.verified).toBe(false);
    const c = a.checks.find((x) => x.id === "sgx.runtime-data");
    expect(c?.status).toBe("failed");
    expect(c?.code).toBe("P5020");
    expect(c?.detail).toContain("report_data[0:32] at offset 368 is 28542e44fe7e73f6");
  });

  it("a wrong TDX runtime data (P5020)", async () => {
    const a = await appraiseEvidence(fixture("tdx/phala.tdx-quote-v4.bin"), { now: new Date("2025-06-25T00:00:00Z"), runtimeData: new TextEncoder().encode("{}") });
    expect(a.checks.find((x) => x.id === "tdx.runtime-data")?.code).toBe("P5020");
  });
});

describe("certificate chains", () => {
  it("an expired certificate at `now` (P5015)", async () => {
    const a = await appraiseEvidence(fixture("sgx/azsdk-debug.sgx-quote.bin"), { now: new Date("2034-01-01T00:00:00Z") });
    const c = a.checks.find((x) => x.id === "sgx.pck.certificate-validity");
    expect(c?.status).toBe("failed");
    expect(c?.code).toBe("P5015");
    expect(c?.detail).toContain("`Intel SGX Root CA` expired at 2033-05-21T10:41:10.000Z");
    expect(a.verified).toBe(false);
  });

  it("a certificate not yet valid at `now` (P5015)", async () => {
    const a = await appraiseEvidence(fixture("tdx/go-tdx-guest.quote_v5_sample.dat"), { now: new Date("2025-06-25T00:00:00Z") });
    expect(a.checks.find((x) => x.id === "tdx.pck.certificate-validity")?.detail).toContain("is not valid before 2026-01-27");
  });

  it("a chain with a foreign root (P5013), with every signature valid", async () => {
    const pki = await makePki();
    const q = await makeSgxQuote(fixture("sgx/azsdk-debug.sgx-quote.bin"), pki);
    const a = await appraiseEvidence(q, { now: new Date("2025-01-01T00:00:00Z") });
    expect(status(a)).toMatchObject({ "sgx.quote-signature": "passed", "sgx.qe-binding": "passed", "sgx.qe-report-signature": "passed", "sgx.pck.chain": "failed" });
    const c = a.checks.find((x) => x.id === "sgx.pck.chain");
    expect(c?.code).toBe("P5013");
    expect(c?.detail).toContain("`Test SGX Root CA`, whose key is not the Intel SGX Root CA key");
    expect(a.verified).toBe(false);
  });

  it("a chain whose order is broken (P5014)", async () => {
    const pki = await makePki();
    const q = await makeSgxQuote(fixture("sgx/azsdk-debug.sgx-quote.bin"), pki, [pki.leaf, pki.root, pki.ca]);
    const d = decodeIntelQuote(q).value as IntelQuote;
    const v = await verifyIntelQuote(d, new Date("2025-01-01T00:00:00Z"), pki.rootSpki);
    expect(v.checks.find((c) => c.id === "sgx.pck.chain")?.code).toBe("P5014");
  });

  it("the same synthetic quote verifies when its own root is the pinned key", async () => {
    const pki = await makePki();
    const q = decodeIntelQuote(await makeSgxQuote(fixture("sgx/azsdk-debug.sgx-quote.bin"), pki)).value as IntelQuote;
    const a = await appraiseIntelQuote({ type: "SgxEnclave", quote: q, quoteHashOf: q.bytes, fields: {}, diagnostics: [], options: { now: new Date("2025-01-01T00:00:00Z") }, rootSpki: pki.rootSpki });
    expect(failed(a.checks)).toEqual([]);
  });
});

describe("collateral", () => {
  it("a revoked PCK certificate with collateral (P5031)", async () => {
    const pki = await makePki();
    const q = decodeIntelQuote(await makeSgxQuote(fixture("sgx/azsdk-debug.sgx-quote.bin"), pki)).value as IntelQuote;
    const now = new Date("2025-01-01T00:00:00Z");
    const v = await verifyIntelQuote(q, now, pki.rootSpki);
    const revoked = readIntelCollateral(JSON.stringify({ pck_crl: await makeCrl(pki.ca, pki.caKeys, ["0a0b0c"]), root_ca_crl: await makeCrl(pki.root, pki.rootKeys, []) })).value;
    const r = await verifyIntelCollateral(q, v.chain, revoked as NonNullable<typeof revoked>, now, pki.rootSpki);
    const c = r.checks.find((x) => x.id === "sgx.pck-revocation");
    expect(c?.status).toBe("failed");
    expect(c?.code).toBe("P5031");
    expect(c?.detail).toContain("the PCK certificate (serial 0a0b0c) is revoked");
    const clean = readIntelCollateral(JSON.stringify({ pck_crl: await makeCrl(pki.ca, pki.caKeys, ["0d"]), root_ca_crl: await makeCrl(pki.root, pki.rootKeys, []) })).value;
    const ok = await verifyIntelCollateral(q, v.chain, clean as NonNullable<typeof clean>, now, pki.rootSpki);
    expect(ok.checks.find((x) => x.id === "sgx.pck-revocation")?.status).toBe("passed");
  });

  it("a revoked PCK CA in the Root CA CRL (P5031)", async () => {
    const pki = await makePki();
    const q = decodeIntelQuote(await makeSgxQuote(fixture("sgx/azsdk-debug.sgx-quote.bin"), pki)).value as IntelQuote;
    const now = new Date("2025-01-01T00:00:00Z");
    const v = await verifyIntelQuote(q, now, pki.rootSpki);
    const col = readIntelCollateral(JSON.stringify({ pck_crl: await makeCrl(pki.ca, pki.caKeys, []), root_ca_crl: await makeCrl(pki.root, pki.rootKeys, ["02"]) })).value;
    const r = await verifyIntelCollateral(q, v.chain, col as NonNullable<typeof col>, now, pki.rootSpki);
    expect(r.checks.find((x) => x.id === "sgx.pck-revocation")?.detail).toContain("`Test SGX PCK Processor CA` (serial 02) is revoked by the Root CA CRL");
  });

  it("a CRL signed by another key is bad collateral (P5030)", async () => {
    const pki = await makePki();
    const other = await makePki();
    const q = decodeIntelQuote(await makeSgxQuote(fixture("sgx/azsdk-debug.sgx-quote.bin"), pki)).value as IntelQuote;
    const now = new Date("2025-01-01T00:00:00Z");
    const v = await verifyIntelQuote(q, now, pki.rootSpki);
    const col = readIntelCollateral(JSON.stringify({ pck_crl: await makeCrl(pki.ca, other.caKeys, []), root_ca_crl: await makeCrl(pki.root, pki.rootKeys, []) })).value;
    const r = await verifyIntelCollateral(q, v.chain, col as NonNullable<typeof col>, now, pki.rootSpki);
    expect(r.checks.find((x) => x.id === "sgx.pck-revocation")?.code).toBe("P5030");
  });

  it("the Phala SGX quote with its real collateral: CRLs, TCB info, QE identity", async () => {
    const a = await appraiseEvidence(fixture("sgx/phala.sgx-quote.bin"), { now: new Date("2025-06-25T00:00:00Z"), collateral: fixtureText("sgx/phala.sgx-quote.collateral.json") });
    expect(status(a)).toMatchObject({
      "sgx.pck-revocation": "passed",
      "sgx.tcb-info-signature": "passed",
      "sgx.qe-identity-signature": "passed",
      "sgx.tcb-status": "passed",
      "sgx.qe-identity": "passed",
      "sgx.collateral-freshness": "passed",
    });
    const tcb = a.checks.find((c) => c.id === "sgx.tcb-status");
    expect(tcb?.detail).toContain("ConfigurationAndSWHardeningNeeded (FMSPC 00a067110000");
    expect(tcb?.code).toBe("P5032");
    expect(a.diagnostics.some((d) => d.code === "P5032" && d.severity === "warning")).toBe(true);
    expect(a.verified).toBe(true);
  });

  it("the Phala TDX v4 quote with its real collateral is UpToDate, and gives attester_tcb_status", async () => {
    const a = await appraiseEvidence(fixture("tdx/phala.tdx-quote-v4.bin"), { now: new Date("2025-06-25T00:00:00Z"), collateral: fixtureText("tdx/phala.tdx-quote-v4.collateral.json") });
    expect(failed(a.checks)).toEqual([]);
    expect(a.checks.find((c) => c.id === "tdx.tcb-status")?.detail).toMatch(/^UpToDate \(FMSPC b0c06f000000/);
    expect(a.claims.find((c) => c.type === "attester_tcb_status")?.value).toBe("UpToDate");
  });

  it("the Phala 'outdated' TDX v5 quote meets no TCB level of its collateral", async () => {
    const a = await appraiseEvidence(fixture("tdx/phala.tdx-quote-v5-outdated.bin"), { now: new Date("2026-02-20T00:00:00Z"), collateral: fixtureText("tdx/phala.tdx-quote-v5-outdated.collateral.json") });
    const c = a.checks.find((x) => x.id === "tdx.tcb-status");
    expect(c?.status).toBe("failed");
    expect(c?.detail).toContain("TCB_NOT_SUPPORTED");
    expect(a.claims.some((x) => x.type === "attester_tcb_status")).toBe(false);
  });

  it("the go-tdx-guest collateral: its CRLs and the PCS responses (tcbInfo, enclaveIdentity) with their own signatures", async () => {
    const phala = JSON.parse(fixtureText("tdx/phala.tdx-quote-v4.collateral.json")) as Record<string, string>;
    const hex = (f: string) => Array.from(fixture(f), (x) => x.toString(16).padStart(2, "0")).join("");
    const collateral = JSON.stringify({
      pck_crl: hex("tdx/go-tdx-guest.pckcrl.der"),
      root_ca_crl: hex("tdx/go-tdx-guest.rootcrl.der"),
      tcb_info: fixtureText("tdx/go-tdx-guest.sample_tcbInfo_response.json"),
      qe_identity: fixtureText("tdx/go-tdx-guest.sample_qeIdentity_response.json"),
      // The PCS responses come without their issuer chain (a response header); Intel's TCB Signing key is the same in Phala's.
      tcb_info_issuer_chain: phala["tcb_info_issuer_chain"],
      qe_identity_issuer_chain: phala["qe_identity_issuer_chain"],
    });
    const a = await appraiseEvidence(fixture("tdx/go-tdx-guest.tdx_prod_quote_SPR_E4.dat"), { now: new Date("2023-06-20T00:00:00Z"), collateral });
    expect(status(a)).toMatchObject({ "tdx.pck-revocation": "passed", "tdx.tcb-info-signature": "passed", "tdx.qe-identity-signature": "passed", "tdx.qe-identity": "passed", "tdx.collateral-freshness": "passed" });
    // That TCB Signing certificate was issued in 2025, after the time of this collateral.
    expect(a.checks.find((c) => c.id === "tdx.tcb-info-signing.certificate-validity")).toMatchObject({ status: "failed", code: "P5030" });
    // The sample TCB info is for a newer TCB than this quote's platform: no level is met.
    expect(a.checks.find((c) => c.id === "tdx.tcb-status")?.detail).toContain("FMSPC 50806f000000");
  });

  it("a changed byte of the TCB info is refused (P5030)", async () => {
    const col = JSON.parse(fixtureText("sgx/phala.sgx-quote.collateral.json")) as Record<string, string>;
    col["tcb_info"] = (col["tcb_info"] as string).replace('"tcbEvaluationDataNumber":17', '"tcbEvaluationDataNumber":18');
    const a = await appraiseEvidence(fixture("sgx/phala.sgx-quote.bin"), { now: new Date("2025-06-25T00:00:00Z"), collateral: JSON.stringify(col) });
    expect(a.checks.find((c) => c.id === "sgx.tcb-info-signature")).toMatchObject({ status: "failed", code: "P5030" });
    expect(a.checks.find((c) => c.id === "sgx.tcb-status")?.status).toBe("not-checked");
    expect(a.verified).toBe(false);
  });

  it("collateral for another FMSPC (P5035)", async () => {
    const a = await appraiseEvidence(fixture("sgx/phala.sgx-quote.bin"), { now: new Date("2025-06-25T00:00:00Z"), collateral: fixtureText("tdx/phala.tdx-quote-v4.collateral.json") });
    expect(a.checks.find((c) => c.id === "sgx.tcb-status")).toMatchObject({ status: "failed", code: "P5035" });
    expect(a.checks.find((c) => c.id === "sgx.qe-identity")).toMatchObject({ status: "failed", code: "P5033" });
  });

  it("out-of-date collateral is a warning (P5034)", async () => {
    const a = await appraiseEvidence(fixture("sgx/phala.sgx-quote.bin"), { now: new Date("2025-08-01T00:00:00Z"), collateral: fixtureText("sgx/phala.sgx-quote.collateral.json") });
    const c = a.checks.find((x) => x.id === "sgx.collateral-freshness");
    expect(c?.code).toBe("P5034");
    expect(c?.detail).toContain("TCB info nextUpdate 2025-07-19T10:56:11.000Z");
  });

  it("unreadable collateral (P5030)", async () => {
    const a = await appraiseEvidence(fixture("sgx/phala.sgx-quote.bin"), { now: new Date("2025-06-25T00:00:00Z"), collateral: "not json" });
    expect(a.checks.find((c) => c.id === "sgx.collateral")).toMatchObject({ status: "failed", code: "P5030" });
  });

  it("collateral with only CRLs: the TCB and QE identity steps say they were not made", async () => {
    const full = JSON.parse(fixtureText("sgx/phala.sgx-quote.collateral.json")) as Record<string, string>;
    const a = await appraiseEvidence(fixture("sgx/phala.sgx-quote.bin"), { now: new Date("2025-06-25T00:00:00Z"), collateral: JSON.stringify({ pck_crl: full["pck_crl"], root_ca_crl: full["root_ca_crl"] }) });
    expect(status(a)).toMatchObject({ "sgx.pck-revocation": "passed", "sgx.tcb-status": "not-checked", "sgx.qe-identity": "not-checked" });
  });
});
