/**
 * Every Intel sample (SGX quotes, OpenEnclave reports, TDX quotes v4 and v5) decodes without an
 * error, and its decoded fields equal the golden JSON in test/golden/intel/<sample>.fields.json.
 * Truncated, wrong-version and wrong-key-type inputs give a diagnostic naming the field and offset.
 */
import { describe, expect, it } from "vitest";
import path from "node:path";
import { expectGolden } from "../../../test/support/golden.js";
import { decodeIntelQuote } from "../src/intel/quote.js";
import { parseOpenEnclaveReport } from "../src/oe/index.js";
import { parseSgxQuote } from "../src/sgx/index.js";
import { parseTdxQuote } from "../src/tdx/index.js";
import { appraiseEvidence } from "../src/index.js";
import { fixture, GOLDEN, INTEL_SAMPLES, type IntelSample } from "./intel-support.js";

const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x), 2) + "\n";

describe("every Intel sample decodes", () => {
  for (const [name, s] of Object.entries(INTEL_SAMPLES) as [IntelSample, (typeof INTEL_SAMPLES)[IntelSample]][]) {
    it(`${name} (${s.type})`, async () => {
      const bytes = fixture(name);
      const parsed = s.type === "OpenEnclave" ? parseOpenEnclaveReport(bytes) : s.type === "TdxVm" ? parseTdxQuote(bytes) : parseSgxQuote(bytes);
      expect(parsed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(parsed.value).toBeDefined();
      const a = await appraiseEvidence(bytes, { now: new Date(s.at) });
      expect(a.type).toBe(s.type);
      expectGolden(path.join(GOLDEN, `${path.basename(name)}.fields.json`), json(a.fields));
    });
  }

  it("keeps the trailing bytes of the go-tdx-guest and Phala TDX samples out of the quote (P5006)", () => {
    const spr = parseTdxQuote(fixture("tdx/go-tdx-guest.tdx_prod_quote_SPR_E4.dat"));
    expect(spr.diagnostics.map((d) => [d.code, d.range.start, d.range.end])).toEqual([["P5006", 4935, 4974]]);
    const phala = parseTdxQuote(fixture("tdx/phala.tdx-quote-v4.bin"));
    expect(phala.diagnostics.map((d) => d.code)).toEqual(["P5006"]);
  });

  it("decodes every field of the SGX report body (EVIDENCE.md 1.1)", () => {
    const q = parseSgxQuote(fixture("sgx/azsdk-debug.sgx-quote.bin")).value as Record<string, Record<string, unknown>>;
    const body = q["report_body"] as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      "cpu_svn", "misc_select", "reserved1", "isv_ext_prod_id", "attributes", "mr_enclave", "reserved2", "mr_signer", "reserved3",
      "config_id", "isv_prod_id", "isv_svn", "config_svn", "reserved4", "isv_family_id", "report_data",
    ]);
    expect(body["mr_enclave"]).toBe("292a1f4b519e46627eb2478a3d9851405653c5b4b0a6925de843834d9216850e");
    expect(body["attributes"]).toMatchObject({ flag_names: ["INIT", "DEBUG", "MODE64BIT"] });
    expect(q["header"]).toMatchObject({ version: 3, att_key_type: 2, qe_vendor_id: "939a7233f79c4ca9940a0db3957f0607" });
  });

  it("decodes an SGX quote v4 (tee_type 0, certification data of type 6 wrapping the QE report and the PCK chain)", () => {
    const v3 = fixture("sgx/azsdk-debug.sgx-quote.bin");
    const sig = v3.subarray(436, 436 + 128);
    const qe = v3.subarray(436 + 128);
    const inner = qe.subarray(0, 4148 - 128); // QE report, QE signature, auth data, type-5 chain
    const type6 = new Uint8Array(6 + inner.length);
    type6[0] = 6;
    new DataView(type6.buffer).setUint32(2, inner.length, true);
    type6.set(inner, 6);
    const sigData = new Uint8Array(128 + type6.length);
    sigData.set(sig);
    sigData.set(type6, 128);
    const v4 = new Uint8Array(436 + sigData.length);
    v4.set(v3.subarray(0, 432));
    v4[0] = 4;
    v4.fill(0, 4, 8); // tee_type SGX
    new DataView(v4.buffer).setUint32(432, sigData.length, true);
    v4.set(sigData, 436);
    const r = decodeIntelQuote(v4);
    expect(r.diagnostics).toEqual([]);
    expect(r.value?.version).toBe(4);
    expect(r.value?.tee).toBe("sgx");
    expect(r.value?.pckChain.length).toBe(3);
    const sd = r.value?.fields["signature_data"] as Record<string, unknown>;
    expect(sd["certification_data_type"]).toBe(6);
    expect((sd["qe_report_certification_data"] as Record<string, unknown>)["certification_data_type"]).toBe(5);
  });

  it("decodes the TDX 1.5 body of a v5 quote (tee_tcb_svn2, mr_servicetd)", () => {
    const q = parseTdxQuote(fixture("tdx/go-tdx-guest.quote_v5_sample.dat")).value as Record<string, unknown>;
    expect(q["body_type"]).toBe(3);
    expect(q["body_size"]).toBe(648);
    expect(Object.keys(q["td_quote_body"] as object)).toContain("mr_servicetd");
  });
});

describe("bad bytes get a diagnostic with the field and the offset", () => {
  const quote = fixture("sgx/azsdk-debug.sgx-quote.bin");

  it("truncated inside signature_data_len", () => {
    const r = decodeIntelQuote(quote.subarray(0, 434));
    expect(r.value).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([["P5001", "quote truncated: `signature_data_len` at offset 432 needs 4 bytes, 2 remain"]]);
    expect(r.diagnostics[0]?.range).toEqual({ start: 432, end: 434 });
  });

  it("truncated inside the signature data", () => {
    const r = decodeIntelQuote(quote.subarray(0, 1000));
    expect(r.diagnostics[0]?.code).toBe("P5001");
    expect(r.diagnostics[0]?.message).toContain("`signature_data` at offset 436 needs");
  });

  it("wrong version", () => {
    const b = quote.slice();
    b[0] = 7;
    const r = decodeIntelQuote(b);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["P5002"]);
    expect(r.diagnostics[0]?.message).toContain("`version` at offset 0 is 7");
  });

  it("an ECDSA P-384 attestation key", () => {
    const b = quote.slice();
    b[2] = 3;
    const r = decodeIntelQuote(b);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["P5003"]);
    expect(r.diagnostics[0]?.message).toContain("(3 is ECDSA P-384)");
  });

  it("a certification data size past the end", () => {
    const b = quote.slice();
    // certification_data_size of the PCK chain: 436 + 578 + 32 + 2.
    const off = 436 + 578 + 32 + 2;
    b[off + 3] = 0x7f;
    const r = decodeIntelQuote(b);
    expect(r.diagnostics[0]?.code).toBe("P5001");
    expect(r.diagnostics[0]?.message).toContain("`signature_data.certification_data`");
  });

  it("a v5 body_size that does not fit its body_type (P5005)", () => {
    const b = fixture("tdx/go-tdx-guest.quote_v5_sample.dat").slice();
    b[50] = 0x48; // body_size 584 for body type 3 (648)
    b[51] = 0x02;
    const r = decodeIntelQuote(b);
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([["P5005", "quote `body_size` at offset 50 is 584: body type 3 has 648 bytes"]]);
  });

  it("an OE report whose report_size runs past the end", () => {
    const oe = fixture("sgx/azsdk-debug.oe-report.bin").slice();
    oe[9] = 0xff;
    const r = parseOpenEnclaveReport(oe);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["P5001"]);
    expect(r.diagnostics[0]?.message).toContain("`oe_report_header.report_size` at offset 8");
  });

  it("an OE local report is refused as unsupported (P5003)", () => {
    const oe = fixture("sgx/azsdk-debug.oe-report.bin").slice();
    oe[4] = 1;
    expect(parseOpenEnclaveReport(oe).diagnostics.map((d) => d.code)).toEqual(["P5003"]);
  });

  it("a TDX quote given as SgxEnclave is named for what it is (P5004)", async () => {
    const a = await appraiseEvidence(fixture("tdx/phala.tdx-quote-v4.bin"), { type: "SgxEnclave", now: new Date("2025-06-25T00:00:00Z") });
    expect(a.verified).toBe(false);
    expect(a.diagnostics.some((d) => d.code === "P5004" && d.message.includes("a TDX quote (TdxVm), not an SGX quote (SgxEnclave)"))).toBe(true);
  });

  it("OE v3 evidence (oe_attestation_header, SGX ECDSA format) decodes its quote and custom claims", () => {
    const quote = fixture("sgx/azsdk-debug.sgx-quote.bin");
    const head = new Uint8Array(28);
    head[0] = 3;
    head.set(Uint8Array.from("a3a21e871b4d4014b70aa125d2fbcd8c".match(/../g) ?? [], (h) => parseInt(h, 16)), 4);
    const claims = new TextEncoder().encode("custom");
    const size = quote.length + claims.length;
    head[20] = size & 0xff;
    head[21] = size >> 8;
    const ev = new Uint8Array(28 + size);
    ev.set(head);
    ev.set(quote, 28);
    ev.set(claims, 28 + quote.length);
    const r = parseOpenEnclaveReport(ev);
    expect(r.diagnostics).toEqual([]);
    expect(r.value?.["custom_claims_buffer"]).toBe("637573746f6d");
    expect((r.value?.["oe_attestation_header"] as Record<string, unknown>)["format"]).toBe("OE_FORMAT_UUID_SGX_ECDSA");
  });
});
