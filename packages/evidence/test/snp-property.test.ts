/**
 * Property tests: the SEV-SNP and HCL parsers and appraisers never throw (or reject) on any bytes:
 * random bytes, the real samples truncated, extended and mutated, and random JSON reports. Every
 * diagnostic range lies within the input. (The 10^5-run version is the evidence benchmark's.)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appraiseHcl, parseHclReport } from "../src/hcl/index.js";
import { appraiseSnp, parseSnpJsonReport, parseSnpReport, readCertBundle } from "../src/snp/index.js";
import type { Diagnostic } from "@maa-policy/core";
import { fixture, fixtureText, SAMPLE_TIME, SNP_SAMPLES } from "./snp-support.js";

const rest = SNP_SAMPLES["restspec-2022"].report();
const tdxHcl = fixture("tdx/constellation-azure-tdx.hclreport.bin");
const jsonReport = fixture("snp/restspec-2022.report-field.b64url.txt");

/** The real samples, mutated: truncated, extended, bytes overwritten. */
const mutated = (base: Uint8Array) =>
  fc
    .tuple(fc.integer({ min: 0, max: base.length + 64 }), fc.array(fc.tuple(fc.nat(base.length + 63), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }))
    .map(([len, edits]) => {
      const out = new Uint8Array(len);
      out.set(base.subarray(0, Math.min(len, base.length)));
      for (const [i, v] of edits) if (i < len) out[i] = v;
      return out;
    });

const inBounds = (ds: readonly Diagnostic[], n: number) => ds.every((d) => d.range.start >= 0 && d.range.start <= d.range.end && d.range.end <= n);

describe("never throws", () => {
  it("parseSnpReport and parseHclReport on random bytes and mutated samples", () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 3000 }), mutated(rest), mutated(tdxHcl)), (bytes) => {
        const s = parseSnpReport(bytes);
        const h = parseHclReport(bytes);
        expect(inBounds(s.diagnostics, bytes.length)).toBe(true);
        expect(inBounds(h.diagnostics, bytes.length)).toBe(true);
        expect(s.value !== undefined).toBe(bytes.length >= 1184);
      }),
      { numRuns: 400 },
    );
  });

  it("parseSnpJsonReport on random text, random JSON and mutated REST reports", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string().map(enc),
          fc.json().map(enc),
          fc.record({ SnpReport: fc.oneof(fc.string(), fc.base64String(), fc.integer()), VcekCertChain: fc.oneof(fc.string(), fc.base64String()) }, { requiredKeys: [] }).map((o) => enc(JSON.stringify(o))),
          mutated(jsonReport),
        ),
        (bytes) => {
          const j = parseSnpJsonReport(bytes);
          expect(j.value !== undefined || j.diagnostics.some((d) => d.severity === "error")).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("appraiseSnp and appraiseHcl never reject; whatever verifies is the unchanged REST report", async () => {
    const original = (await appraiseSnp(jsonReport, { now: SAMPLE_TIME })).claims;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 2000 }), mutated(rest), mutated(tdxHcl), mutated(jsonReport)), fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined }), async (bytes, collateral) => {
        const a = await appraiseSnp(bytes, { now: SAMPLE_TIME, ...(collateral ? { collateral } : {}) });
        const h = await appraiseHcl(bytes, { now: SAMPLE_TIME });
        expect(["SevSnpVm", "TdxVm"]).toContain(a.type);
        expect(h.checks.length).toBeGreaterThan(0);
        if (a.verified && a.type === "SevSnpVm") expect(a.claims).toEqual(original);
      }),
      { numRuns: 120 },
    );
  });

  it("readCertBundle (collateral) on random text, JSON, bytes and mutated PEM", () => {
    const pem = fixture("snp/restspec-2022.vcek-chain.pem");
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.record({ vcekCert: fc.string(), certificateChain: fc.string(), crl: fc.base64String(), VcekCertChain: fc.base64String() }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
          fc.uint8Array({ maxLength: 2000 }),
          mutated(pem),
        ),
        (input) => {
          const b = readCertBundle(input);
          // Every input gives something: a certificate, a CRL, or a message saying why not.
          expect(b.certs.length + b.crls.length + b.errors.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("the work per input is bounded: trailing bytes give one P5203, whatever their length", () => {
    for (const n of [1, 1000, 1 << 20]) {
      const big = new Uint8Array(1184 + n);
      big.set(rest);
      const r = parseSnpReport(big);
      expect(r.diagnostics.map((d) => [d.code, d.range.end])).toEqual([["P5203", 1184 + n]]);
      expect(r.value?.fields).toEqual(parseSnpReport(rest).value?.fields);
    }
  });
});

describe("bounded cost", () => {
  it("unterminated PEM headers (a quadratic trap for lazy regexes) are scanned once", () => {
    const text = "-----BEGIN CERTIFICATE-----\n".repeat(200_000) + "-----BEGIN X509 CRL-----\n".repeat(50_000);
    const b = readCertBundle(text);
    expect([b.certs.length, b.crls.length]).toEqual([0, 0]);
    expect(b.errors).toEqual(["collateral: a PEM `-----BEGIN` line without its `-----END` line"]);
  });

  it("a chain of thousands of certificates is cut at 10, with P5207", async () => {
    const one = fixtureText("snp/restspec-2022.vcek-chain.pem");
    const many = one.repeat(700);
    const a = await appraiseSnp(rest, { now: SAMPLE_TIME, collateral: many });
    const p5207 = a.diagnostics.filter((d) => d.code === "P5207");
    expect(p5207.map((d) => d.message)).toEqual(["SEV-SNP chain: collateral: 2090 certificates after the first 10 were not read: an AMD chain has 3"]);
    expect((a.fields["certificates"] as unknown[]).length).toBe(10);
    expect(a.verified).toBe(false);
  });
});
