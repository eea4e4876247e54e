/**
 * Property tests: the Intel parsers, the input detection and `appraiseEvidence` never throw (or
 * reject) on any bytes: random bytes, random text, and the real samples truncated, extended and
 * mutated; every diagnostic range lies within the input. Few runs here; the evidence benchmark
 * runs 10^5. The work done is linear in the input: a quote followed by n bytes of garbage is read
 * once, the garbage only measured (one P5006), whatever n.
 */
import fc from "fast-check";
import type { Diagnostic } from "@maa-policy/core";
import { describe, expect, it } from "vitest";
import { decodeIntelQuote } from "../src/intel/quote.js";
import { decodeEvidenceInput } from "../src/input.js";
import { decodeOeEvidence } from "../src/oe/report.js";
import { readIntelCollateral } from "../src/intel/collateral.js";
import { pemSpans } from "../src/intel/x509.js";
import { appraiseEvidence, EVIDENCE_TYPES } from "../src/index.js";
import { fixture } from "./intel-support.js";

const samples = [fixture("sgx/azsdk-debug.sgx-quote.bin"), fixture("sgx/azsdk-debug.oe-report.bin"), fixture("tdx/phala.tdx-quote-v4.bin"), fixture("tdx/go-tdx-guest.quote_v5_sample.dat")];

const mutated = fc
  .tuple(fc.constantFrom(...samples), fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat(96))
  .map(([base, cut, edits, extra]) => {
    const len = Math.min(base.length + extra, cut % (base.length + extra + 1));
    const out = new Uint8Array(len);
    out.set(base.subarray(0, Math.min(len, base.length)));
    for (const [i, v] of edits) if (len > 0) out[i % len] = v;
    return out;
  });

const inBounds = (ds: readonly Diagnostic[], n: number) => ds.every((d) => d.range.start >= 0 && d.range.start <= d.range.end && d.range.end <= n);

describe("never throws", () => {
  it("the quote and OE decoders, on random and mutated bytes", () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 2048 }), mutated), (b) => {
        const q = decodeIntelQuote(b);
        expect(inBounds(q.diagnostics, b.length)).toBe(true);
        const o = decodeOeEvidence(b);
        expect(inBounds(o.diagnostics, b.length)).toBe(true);
        expect(q.value !== undefined || q.diagnostics.some((d) => d.severity === "error")).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("input detection, on random bytes and text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 512 }), fc.string({ maxLength: 512 }), fc.json().map((j) => `{"quote":${j}}`)), (x) => {
        const r = decodeEvidenceInput(x);
        expect(r.bytes).toBeInstanceOf(Uint8Array);
      }),
      { numRuns: 300 },
    );
  });

  it("collateral reading, on random text and JSON", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.record({ tcb_info: fc.string(), tcb_info_signature: fc.string(), pck_crl: fc.string() }).map((o) => JSON.stringify(o))), (t) => {
        readIntelCollateral(t);
      }),
      { numRuns: 200 },
    );
  });

  it("appraiseEvidence, for every type, on mutated samples", async () => {
    await fc.assert(
      fc.asyncProperty(mutated, fc.constantFrom(undefined, ...EVIDENCE_TYPES), async (b, type) => {
        const a = await appraiseEvidence(b, { ...(type ? { type } : {}), now: new Date("2025-06-25T00:00:00Z") });
        expect(typeof a.verified).toBe("boolean");
        expect(a.checks.length).toBeGreaterThan(0);
        expect(a.diagnostics.every((d) => d.code !== "P9001")).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

describe("linear in the input", () => {
  it("a quote followed by any amount of garbage decodes the same, with one P5006 for the rest", () => {
    const q = samples[0] as Uint8Array;
    const base = decodeIntelQuote(q).value?.fields;
    for (const n of [1, 1000, 1_000_000]) {
      const b = new Uint8Array(q.length + n);
      b.set(q);
      b.fill(0x41, q.length);
      const r = decodeIntelQuote(b);
      expect(r.value?.fields).toEqual(base);
      expect(r.diagnostics.map((d) => [d.code, d.range.end - d.range.start])).toEqual([["P5006", n]]);
    }
  });

  it("certification data with thousands of certificates: only 10 are read (P5005), so the cost is bounded", () => {
    const q = samples[0] as Uint8Array;
    const v = decodeIntelQuote(q).value as NonNullable<ReturnType<typeof decodeIntelQuote>["value"]>;
    const pem = new TextEncoder().encode(v.pckChain.map((p) => p.pem).join("\n").repeat(1) + "\n");
    const many = new Uint8Array(pem.length * 600);
    for (let i = 0; i < 600; i++) many.set(pem, i * pem.length);
    const certOff = v.certDataOffset; // type (2) and size (4) precede it
    const head = q.slice(0, certOff);
    const out = new Uint8Array(certOff + many.length);
    out.set(head);
    out.set(many, certOff);
    const dv = new DataView(out.buffer);
    dv.setUint32(certOff - 4, many.length, true);
    dv.setUint32(432, out.length - 436, true);
    const r = decodeIntelQuote(out);
    expect(r.value?.pckChain.length).toBe(10);
    expect(r.diagnostics.map((d) => d.message)).toEqual(["`signature_data.certification_data` at offset 1052 holds 1800 PEM certificates: only the first 10 are read"]);
  });

  it("certification data of unterminated PEM headers is scanned once (no backtracking)", () => {
    // 40 000 BEGIN lines without an END: a lazy regex would rescan the rest from each one.
    const begin = "-----BEGIN CERTIFICATE-----\n";
    expect(pemSpans(begin.repeat(40_000))).toEqual([]);
    expect(pemSpans(`${begin}AAAA\n-----END CERTIFICATE-----`.repeat(3)).length).toBe(3);
  });
});
