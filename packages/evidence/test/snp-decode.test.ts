/**
 * SEV-SNP report decoding: every real sample decodes with every field of EVIDENCE.md 1.3 (golden
 * decoded-field JSON in test/golden/snp/), the JSON `report` of /attest/SevSnpVm, and each layout
 * diagnostic (truncation, version, signature algorithm, reserved bytes, policy bit 17, trailing bytes).
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { expectGolden } from "../../../test/support/golden.js";
import { appraiseSnp, decodeTcb, parseSnpJsonReport, parseSnpReport, productOfCpuid, SNP_REPORT_SIZE } from "../src/snp/index.js";
import { fixture, goldenJson, patch, SNP_SAMPLES } from "./snp-support.js";

const golden = (name: string) => fileURLToPath(new URL(`golden/snp/${name}.fields.json`, import.meta.url));

describe("SEV-SNP report: the real samples", () => {
  for (const [name, s] of Object.entries(SNP_SAMPLES)) {
    it(`${name} decodes every field (golden)`, () => {
      const r = parseSnpReport(s.report());
      expect(r.diagnostics).toEqual([]);
      expect(r.value).toBeDefined();
      expectGolden(golden(name), goldenJson(r.value?.fields));
    });
  }

  it("the REST report is version 1 (no CPUID, no committed/launch TCB), the others version 2", () => {
    const rest = parseSnpReport(SNP_SAMPLES["restspec-2022"].report()).value;
    expect(rest?.version).toBe(1);
    expect(rest?.fields).not.toHaveProperty("cpuid_fam_id");
    expect(rest?.fields).not.toHaveProperty("committed_tcb");
    const gsg = parseSnpReport(SNP_SAMPLES["go-sev-guest"].report()).value;
    expect(gsg?.version).toBe(2);
    expect(gsg?.fields).toHaveProperty("launch_tcb");
    expect(gsg?.fields).not.toHaveProperty("cpuid_fam_id");
  });

  it("decodes the REST report's TCB, policy and signer info as the token reads them", () => {
    const r = parseSnpReport(SNP_SAMPLES["restspec-2022"].report()).value;
    expect(r?.reportedTcb).toEqual({ raw: "0000000000000028", layout: "milan-genoa", bootloader: 0, tee: 0, snp: 0, microcode: 40 });
    expect(r?.fields["policy"]).toMatchObject({ value: "0x000000000003001f", smt: true, reserved_must_be_one: true, migrate_ma: false, debug: false, abi_minor: 31, abi_major: 0 });
    expect(r?.fields["signer_info"]).toMatchObject({ signing_key: "vcek", author_key_en: false, mask_chip_key: false });
    expect(r?.productSource).toBe("assumed");
  });

  it("the Azure CVM sample carries 20 bytes of HCL IGVM data after the report: P5203", () => {
    const r = parseSnpReport(fixture("snp/constellation-azure.attestation.bin"));
    expect(r.value).toBeDefined();
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.range])).toEqual([["P5203", "warning", { start: 1184, end: 1204 }]]);
    expect(r.diagnostics[0]?.message).toBe("SEV-SNP report: 20 bytes after the report at offset 1184 are not part of it");
  });
});

describe("SevSnpVm JSON report", () => {
  it("reads the REST example's `report` (base64url of JSON with white space)", () => {
    const j = parseSnpJsonReport(fixture("snp/restspec-2022.report-field.b64url.txt"));
    expect(j.diagnostics).toEqual([]);
    expect(j.value?.report).toEqual(fixture("snp/restspec-2022.snp-report.bin"));
    expect(j.value?.certChainPem?.match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
  });

  it("shows the chain's certificates, the VCEK with serial 0 and its TCB extensions and hwID", async () => {
    const a = await appraiseSnp(fixture("snp/restspec-2022.report-field.b64url.txt"), { now: new Date("2022-09-21T21:47:31Z") });
    const certs = a.fields["certificates"] as Record<string, unknown>[];
    expect(certs.map((c) => [c["role"], c["serial"], c["product"]])).toEqual([
      ["vcek", "00", "Milan"],
      ["ask", "010001", "Milan"],
      ["ark", "010000", "Milan"],
    ]);
    expect(certs[0]?.["extensions"]).toMatchObject({ structVersion: 0, productName: "Milan-B0", blSpl: 0, teeSpl: 0, snpSpl: 0, ucodeSpl: 40, hwid: expect.stringMatching(/^ce0ac7438a0f12de/) });
    expect(certs[0]?.["signature_algorithm"]).toBe("RSA-PSS");
  });

  it("refuses malformed JSON, a missing SnpReport and bad base64url with P5206", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(parseSnpJsonReport(enc('{"SnpReport": ')).diagnostics.map((d) => d.code)).toEqual(["P5206"]);
    expect(parseSnpJsonReport(enc('{"VcekCertChain": "AAAA"}')).diagnostics[0]?.message).toContain("`SnpReport` is missing");
    const bad = parseSnpJsonReport(enc('{"SnpReport": "!!!", "VcekCertChain": "x"}'));
    expect(bad.value).toBeUndefined();
    expect(bad.diagnostics[0]?.message).toBe("SevSnpVm report: `SnpReport` at offset 1 is not base64url");
    expect(bad.diagnostics[0]?.range).toEqual({ start: 1, end: 12 });
  });

  it("warns on an unknown member and on a chain that is not base64url", () => {
    const report = Buffer.from(fixture("snp/restspec-2022.snp-report.bin")).toString("base64url");
    const j = parseSnpJsonReport(new TextEncoder().encode(JSON.stringify({ SnpReport: report, VcekCertChain: 5, Extra: 1 })));
    expect(j.value?.report.length).toBe(1184);
    expect(j.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ["P5206", "warning"],
      ["P5206", "error"],
    ]);
  });
});

describe("SevSnpVm JSON report: bounded", () => {
  it("names the first 5 unknown members and counts the rest", () => {
    const o: Record<string, string> = { SnpReport: Buffer.from(fixture("snp/restspec-2022.snp-report.bin")).toString("base64url") };
    for (let i = 0; i < 50_000; i++) o[`x${i}`] = "";
    const j = parseSnpJsonReport(new TextEncoder().encode(JSON.stringify(o)));
    expect(j.value?.report.length).toBe(1184);
    expect(j.diagnostics).toHaveLength(6);
    expect(j.diagnostics[5]?.message).toBe("SevSnpVm report: 49995 more unknown members");
  });
});

describe("SEV-SNP report: layout diagnostics", () => {
  const rest = SNP_SAMPLES["restspec-2022"].report();

  it("a truncated report names the first field that does not fit, at its offset", () => {
    for (const n of [0, 3, 100, 0x180, 0x2a0, 1183]) {
      const r = parseSnpReport(rest.subarray(0, n));
      expect(r.value).toBeUndefined();
      expect(r.diagnostics).toHaveLength(1);
      expect(r.diagnostics[0]?.code).toBe("P5001");
    }
    expect(parseSnpReport(rest.subarray(0, 100)).diagnostics[0]?.message).toBe("SEV-SNP report truncated: `report_data` at offset 80 needs 64 bytes, 20 remain");
    expect(parseSnpReport(rest.subarray(0, 1183)).diagnostics[0]?.message).toBe("SEV-SNP report truncated: `signature.reserved` at offset 816 needs 368 bytes, 367 remain");
  });

  it("an unknown version is P5202, an unknown signature algorithm P5204", () => {
    expect(parseSnpReport(patch(rest, 0, [6, 0, 0, 0])).diagnostics.map((d) => d.code)).toEqual(["P5202"]);
    expect(parseSnpReport(patch(rest, 0, [0, 0, 0, 0])).diagnostics[0]?.message).toBe("SEV-SNP report: `version` at offset 0 is 0: versions 1 to 5 are known");
    const alg = parseSnpReport(patch(rest, 0x34, [2, 0, 0, 0]));
    expect(alg.diagnostics.map((d) => [d.code, d.range])).toEqual([["P5204", { start: 0x34, end: 0x38 }]]);
  });

  it("non-zero reserved bytes are P5205, a clear policy bit 17 P5219 (warnings)", () => {
    const res = parseSnpReport(patch(rest, 0x4c, [1]));
    expect(res.diagnostics.map((d) => [d.code, d.severity])).toEqual([["P5205", "warning"]]);
    expect(res.diagnostics[0]?.message).toBe("SEV-SNP report: reserved field `reserved0` at offset 76 (4 bytes) is not zero");
    expect(parseSnpReport(patch(rest, 0x250, [1])).diagnostics.map((d) => d.code)).toEqual(["P5205"]);
    expect(parseSnpReport(patch(rest, 0x0a, [0x01])).diagnostics.map((d) => [d.code, d.severity])).toEqual([["P5219", "warning"]]);
  });

  it("offsets in messages and ranges are absolute when the report sits inside a wrapper", () => {
    const r = parseSnpReport(patch(rest, 0x34, [2]), { base: 32 });
    expect(r.diagnostics[0]?.range).toEqual({ start: 32 + 0x34, end: 32 + 0x38 });
    expect(r.diagnostics[0]?.message).toContain("at offset 84");
  });
});

describe("TCB_VERSION layouts and the product", () => {
  it("Milan/Genoa: bytes 0, 1, 6, 7; Turin: bytes 0 (FMC), 1, 2, 3, 7", () => {
    const b = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(decodeTcb(b, "Milan")).toEqual({ raw: "0102030405060708", layout: "milan-genoa", bootloader: 1, tee: 2, snp: 7, microcode: 8 });
    expect(decodeTcb(b, "Genoa")).toMatchObject({ layout: "milan-genoa", snp: 7 });
    expect(decodeTcb(b, undefined)).toMatchObject({ layout: "milan-genoa" });
    expect(decodeTcb(b, "Turin")).toEqual({ raw: "0102030405060708", layout: "turin", fmc: 1, bootloader: 2, tee: 3, snp: 4, microcode: 8 });
  });

  it("reads the product from the CPUID fields of a v3+ report, else from the certificate", () => {
    expect(productOfCpuid(0x19, 0x01)).toBe("Milan");
    expect(productOfCpuid(0x19, 0x11)).toBe("Genoa");
    expect(productOfCpuid(0x1a, 0x02)).toBe("Turin");
    expect(productOfCpuid(0x17, 0x31)).toBeUndefined();
    const v3 = patch(patch(SNP_SAMPLES["go-sev-guest"].report(), 0, [3]), 0x188, [0x1a, 0x02, 0x00]);
    const r = parseSnpReport(v3).value;
    expect([r?.product, r?.productSource, r?.reportedTcb.layout]).toEqual(["Turin", "cpuid", "turin"]);
    expect(r?.fields).toMatchObject({ cpuid_fam_id: 0x1a, cpuid_mod_id: 2, cpuid_step: 0 });
    const v2 = parseSnpReport(SNP_SAMPLES["go-sev-guest"].report(), { product: "Turin" }).value;
    expect([v2?.productSource, v2?.reportedTcb.layout]).toEqual(["certificate", "turin"]);
  });

  it("shows the v5 mitigation vectors", () => {
    const v5 = patch(patch(SNP_SAMPLES["go-sev-guest"].report(), 0, [5]), 0x1f8, [1, 0, 0, 0, 0, 0, 0, 0, 3]);
    const r = parseSnpReport(v5);
    expect(r.diagnostics).toEqual([]);
    expect(r.value?.fields).toMatchObject({ launch_mit_vector: "0x0000000000000001", current_mit_vector: "0x0000000000000003" });
    expect(parseSnpReport(patch(SNP_SAMPLES["go-sev-guest"].report(), 0x1f8, [1])).diagnostics.map((d) => d.code)).toEqual(["P5205"]);
  });

  it("the report is 1184 bytes", () => {
    expect(SNP_REPORT_SIZE).toBe(1184);
  });
});
