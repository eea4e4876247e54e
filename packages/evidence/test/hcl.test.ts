/**
 * The Azure HCL report: the real TDX sample decodes (golden fields) and passes every offline check;
 * an SNP HCL report, assembled from the real Azure CVM parts (report, IGVM request data, variable
 * data of edgelesssys/constellation), verifies as SevSnpVm; each layout and binding diagnostic.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { expectGolden } from "../../../test/support/golden.js";
import { appraiseHcl, isHclReport, parseHclReport } from "../src/hcl/index.js";
import { appraiseSnp } from "../src/snp/index.js";
import type { Appraisal } from "../src/types.js";
import { fixture, goldenJson, patch, SAMPLE_TIME } from "./snp-support.js";

const golden = (name: string) => fileURLToPath(new URL(`golden/hcl/${name}.fields.json`, import.meta.url));
const failed = (a: Appraisal) => a.checks.filter((c) => c.status === "failed").map((c) => [c.id, c.code]);
const tdxHcl = fixture("tdx/constellation-azure-tdx.hclreport.bin");

/** An SNP HCL report from the real Azure CVM parts: header ‖ SNP report ‖ IGVM request data ‖ variable data. */
function snpHcl(): Uint8Array {
  const att = fixture("snp/constellation-azure.attestation.bin");
  const variable = fixture("snp/constellation-azure.runtime-data.json");
  const out = new Uint8Array(32 + 1184 + 20 + variable.length);
  const dv = new DataView(out.buffer);
  out.set(new TextEncoder().encode("HCLA"), 0);
  dv.setUint32(4, 2, true);
  dv.setUint32(8, out.length, true);
  dv.setUint32(12, 2, true);
  out.set(att.subarray(0, 1204), 32);
  out.set(variable, 1236);
  return out;
}

describe("Azure HCL report with a TDX TDREPORT (real sample)", () => {
  it("decodes every field (golden)", async () => {
    const a = await appraiseHcl(tdxHcl, { now: SAMPLE_TIME });
    expectGolden(golden("constellation-azure-tdx"), goldenJson(a.fields));
    expect(a.fields).toMatchObject({ hcl: { version: 2, report_size: 2436, request_type: 2, igvm_request_data: { report_type: 4, report_data_hash_type: 1, variable_data_size: 1200 }, trailing_bytes: 164 } });
  });

  it("passes every offline check; the MAC is not checked, and says why", async () => {
    const a = await appraiseHcl(tdxHcl, { now: SAMPLE_TIME });
    expect(a.type).toBe("TdxVm");
    expect(a.diagnostics).toEqual([]);
    expect(a.verified).toBe(true);
    expect(Object.fromEntries(a.checks.map((c) => [c.id, c.status]))).toEqual({
      "hcl.format": "passed",
      "hcl.variable-data": "passed",
      "hcl.tee-tcb-info-hash": "passed",
      "hcl.tee-info-hash": "passed",
      "hcl.tdreport-mac": "not-checked",
      "hcl.variable-data-json": "passed",
    });
    const claims = Object.fromEntries(a.claims.map((c) => [c.type, c.value]));
    expect(claims).toMatchObject({
      "x-ms-attestation-type": "tdxvm",
      tdx_mrseam: "360304d34a16aace0a18e09ad2d07d2b9fd3c174378e5bf108388079827f89ff62acc5f8c473dd40706324834e202946",
      tdx_xfam: "e718060000000000",
      tdx_td_attributes: "0000000000000000",
      tdx_td_attributes_debug: false,
      tdx_report_data: "1b2d148a60baa97959615549e0e632a10c124bcecec7409e732838629b3fba8e0000000000000000000000000000000000000000000000000000000000000000",
      tdx_tee_tcb_svn: "02010600000000000000000000000000",
    });
    expect(claims).not.toHaveProperty("attester_tcb_status");
    expect(JSON.parse(claims["x-ms-runtime"] as string)).toHaveProperty("keys");
  });

  it("builds the TD quote body from the TDREPORT (mr_seam, xfam, mrtd, report_data in quote order)", async () => {
    const a = await appraiseHcl(tdxHcl, { now: SAMPLE_TIME });
    const body = a.fields["td_quote_body"] as string;
    expect(body).toHaveLength(584 * 2);
    expect(body.slice(0, 32)).toBe("02010600000000000000000000000000");
    expect(body.slice(32, 32 + 96)).toBe("360304d34a16aace0a18e09ad2d07d2b9fd3c174378e5bf108388079827f89ff62acc5f8c473dd40706324834e202946");
    expect(body.slice(128 * 2, 136 * 2)).toBe("e718060000000000");
    expect(body.slice(520 * 2, 552 * 2)).toBe("1b2d148a60baa97959615549e0e632a10c124bcecec7409e732838629b3fba8e");
  });

  it("appraiseSnp hands an HCL report to appraiseHcl", async () => {
    expect(isHclReport(tdxHcl)).toBe(true);
    expect((await appraiseSnp(tdxHcl, { now: SAMPLE_TIME })).type).toBe("TdxVm");
  });

  it("a changed TDINFO byte breaks tee_info_hash (P5245)", async () => {
    const a = await appraiseHcl(patch(tdxHcl, 32 + 528, [tdxHcl[32 + 528]! ^ 1]), { now: SAMPLE_TIME });
    expect(failed(a)).toEqual([["hcl.tee-info-hash", "P5245"]]);
    expect(a.diagnostics[0]?.range).toEqual({ start: 112, end: 160 });
  });

  it("a changed TEE_TCB_INFO byte breaks tee_tcb_info_hash (P5245)", async () => {
    const a = await appraiseHcl(patch(tdxHcl, 32 + 280, [0]), { now: SAMPLE_TIME });
    expect(failed(a)).toEqual([["hcl.tee-tcb-info-hash", "P5245"]]);
  });

  it("a changed variable data byte breaks the binding (P5244)", async () => {
    const at = 1236 + new TextDecoder().decode(tdxHcl.subarray(1236)).indexOf('"n":"') + 6;
    const a = await appraiseHcl(patch(tdxHcl, at, [tdxHcl[at] === 0x41 ? 0x42 : 0x41]), { now: SAMPLE_TIME });
    expect(failed(a)).toEqual([["hcl.variable-data", "P5244"]]);
    expect(a.diagnostics[0]?.message).toMatch(/^HCL report: `report_data\[0:32\]` at offset 160 is 1b2d148a.*, but SHA-256 of the HCL variable data is [0-9a-f]{64}$/);
  });

  it("variable data that is not JSON is P5247 (and unbound, P5244)", async () => {
    const a = await appraiseHcl(patch(tdxHcl, 1236, [0x5b]), { now: SAMPLE_TIME });
    expect(failed(a)).toEqual([
      ["hcl.variable-data", "P5244"],
      ["hcl.variable-data-json", "P5247"],
    ]);
  });

  it("a TDREPORT type other than 0x81 is P5242", async () => {
    const a = await appraiseHcl(patch(tdxHcl, 32, [0x80]), { now: SAMPLE_TIME });
    expect(a.diagnostics.map((d) => d.code)).toContain("P5242");
    expect(a.verified).toBe(false);
  });
});

describe("Azure HCL report with an SNP report", () => {
  it("verifies as SevSnpVm with the VCEK, and the variable data becomes x-ms-runtime", async () => {
    const a = await appraiseHcl(snpHcl(), { now: SAMPLE_TIME, collateral: fixture("snp/constellation-azure.vcek.der") });
    expect(a.type).toBe("SevSnpVm");
    expect(failed(a)).toEqual([]);
    expect(a.verified).toBe(true);
    expect(a.checks.find((c) => c.id === "snp.runtime-data")?.status).toBe("passed");
    const runtime = a.claims.find((c) => c.type === "x-ms-runtime");
    expect(JSON.parse(runtime?.value as string)["keys"][0]["kid"]).toBe("HCLAkPub");
    expect(a.claims.filter((c) => c.type.startsWith("x-ms-sevsnpvm-"))).toHaveLength(17);
  });

  it("explicit runtime data replaces the variable data, and the variable data binding is still checked", async () => {
    const other = new TextEncoder().encode('{"keys":[]}');
    const a = await appraiseHcl(snpHcl(), { now: SAMPLE_TIME, collateral: fixture("snp/constellation-azure.vcek.der"), runtimeData: other });
    expect(failed(a)).toEqual([["snp.runtime-data", "P5214"]]);
    expect(a.checks.find((c) => c.id === "hcl.variable-data")?.status).toBe("passed");
    expect(a.claims.find((c) => c.type === "x-ms-runtime")?.value).toBe('{"keys":[]}');
  });

  it("ranges and offsets point into the HCL report (the SNP report starts at 32)", async () => {
    const bytes = snpHcl();
    const a = await appraiseHcl(patch(bytes, 32 + 0x90, [bytes[32 + 0x90]! ^ 1]), { now: SAMPLE_TIME, collateral: fixture("snp/constellation-azure.vcek.der") });
    expect(failed(a)).toEqual([["snp.report-signature", "P5208"]]);
    expect(a.diagnostics[0]?.range).toEqual({ start: 32 + 0x2a0, end: 32 + 0x330 });
  });

  it("decodes the wrapper (golden)", () => {
    const h = parseHclReport(snpHcl());
    expect(h.diagnostics).toEqual([]);
    expectGolden(golden("constellation-azure-snp.assembled"), goldenJson(h.value?.fields));
  });
});

describe("HCL layout diagnostics", () => {
  const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

  it("a wrong signature is P5241", async () => {
    const a = await appraiseHcl(patch(tdxHcl, 0, [0x58]), { now: SAMPLE_TIME });
    expect(a.diagnostics.map((d) => [d.code, d.message])).toEqual([["P5241", "HCL report: the signature at offset 0 is `XCLA`, not `HCLA`"]]);
    expect(a.verified).toBe(false);
  });

  it("truncation names the part that does not fit (P5001)", () => {
    expect(parseHclReport(tdxHcl.subarray(0, 10)).diagnostics[0]?.message).toBe("HCL report truncated: `header` at offset 0 needs 32 bytes, 10 remain");
    expect(parseHclReport(tdxHcl.subarray(0, 100)).diagnostics[0]?.message).toBe("HCL report truncated: `hw_report` at offset 32 needs 1184 bytes, 68 remain");
    expect(parseHclReport(tdxHcl.subarray(0, 1220)).diagnostics[0]?.message).toBe("HCL report truncated: `igvm_request_data` at offset 1216 needs 20 bytes, 4 remain");
    expect(parseHclReport(tdxHcl.subarray(0, 1300)).diagnostics[0]?.message).toBe("HCL report truncated: `variable_data` at offset 1236 needs 1200 bytes, 64 remain");
  });

  it("report types other than SNP and TDX are P5242, hash types other than SHA-256 P5243", () => {
    const t = new Uint8Array(tdxHcl);
    dv(t).setUint32(1216 + 8, 3, true);
    expect(parseHclReport(t).diagnostics.map((d) => d.code)).toEqual(["P5242"]);
    const h = new Uint8Array(tdxHcl);
    dv(h).setUint32(1216 + 12, 2, true);
    expect(parseHclReport(h).diagnostics.map((d) => [d.code, d.message])).toEqual([["P5243", "HCL report: `report_data_hash_type` at offset 1228 is 2: only 1 (SHA-256) is known"]]);
  });

  it("inconsistent sizes are P5246 (warnings)", () => {
    const t = new Uint8Array(tdxHcl);
    dv(t).setUint32(8, 9999, true);
    expect(parseHclReport(t).diagnostics.map((d) => [d.code, d.severity])).toEqual([["P5246", "warning"]]);
    const u = new Uint8Array(tdxHcl);
    dv(u).setUint32(1216, 1, true);
    expect(parseHclReport(u).diagnostics.map((d) => d.code)).toEqual(["P5246", "P5246"]);
  });
});
