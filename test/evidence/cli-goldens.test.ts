/**
 * Goldens of `maa-policy evidence` on every real sample of test/fixtures/evidence: the pretty
 * report and the JSON (`--format json`), so that any change in what is decoded, checked or
 * claimed is reviewed. Each sample runs at a fixed `--at` (the time MAA attested it, or the
 * sample's collateral date), so the goldens do not change as certificates expire. The JSON output
 * is also checked against its documented shape, and its claims are read back by `parseClaimsInput`
 * (the claims-file format). `UPDATE_GOLDENS=1` rewrites the goldens.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseClaimsInput } from "@maa-policy/core";
import { describe, expect, test } from "vitest";
import { runMaaPolicy } from "../support/cli.js";
import { expectGolden } from "../support/golden.js";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/evidence");
const goldens = path.resolve(import.meta.dirname, "goldens");

/** When MAA attested the Azure SDK quote (the `iat` of the 2021 tokens). */
const AT_2021 = "2021-04-17T00:37:40Z";

interface Sample {
  /** The golden's base name. */
  readonly name: string;
  readonly args: readonly string[];
  /** Hex text fed on standard input instead of a file (the genquotes samples carry their quote as `QuoteHex`). */
  readonly stdinHexFrom?: string;
  /** The exit code: 0 verified, 1 refused. */
  readonly code: 0 | 1;
}

const GENQUOTES = ["oe-sdk", "intel-sdk"].flatMap((sdk) => ["debug", "release", "prodid", "securityversion"].map((v) => `${sdk}.enclave.info.${v}`));

const SAMPLES: readonly Sample[] = [
  { name: "sgx-azsdk-debug-quote", args: ["sgx/azsdk-debug.sgx-quote.bin", "--type", "SgxEnclave", "--runtime-data", "sgx/azsdk.runtime-data.bin", "--runtime-data-type", "binary", "--at", AT_2021], code: 0 },
  { name: "sgx-azsdk-debug-quote-json-runtime", args: ["sgx/azsdk-debug.sgx-quote.bin", "--type", "SgxEnclave", "--runtime-data", "sgx/azsdk.runtime-data.bin", "--runtime-data-type", "json", "--nonce", "n-123", "--at", AT_2021], code: 0 },
  { name: "oe-azsdk-debug-report", args: ["sgx/azsdk-debug.oe-report.bin", "--runtime-data", "sgx/azsdk.runtime-data.bin", "--at", AT_2021], code: 0 },
  { name: "sgx-request-sgxenclave-binary", args: ["sgx/azsdk-debug.request.sgxenclave-binary.json", "--at", AT_2021], code: 0 },
  { name: "sgx-request-sgxenclave-json", args: ["sgx/azsdk-debug.request.sgxenclave-json.json", "--at", AT_2021], code: 0 },
  { name: "oe-request-openenclave-binary", args: ["sgx/azsdk-debug.request.openenclave-binary.json", "--at", AT_2021], code: 0 },
  { name: "oe-azsdk-nondebug-report", args: ["sgx/azsdk-nondebug.oe-report.bin", "--at", AT_2021], code: 0 },
  { name: "sgx-restspec-2020-quote", args: ["sgx/restspec-2020.sgx-quote.bin", "--type", "SgxEnclave", "--runtime-data", "sgx/restspec-2020.runtime-data.bin", "--at", "2020-09-29T17:49:05Z"], code: 0 },
  { name: "oe-azsample-2020-request", args: ["sgx/azsample-2020.post.attest.body.json", "--type", "OpenEnclave", "--at", "2020-05-28T00:00:00Z"], code: 0 },
  // The Intel SDK quotes' PCK certificates are valid from 2023-02-27.
  ...GENQUOTES.map((g): Sample => ({ name: `genquotes-${g}`, args: ["-", "--type", g.startsWith("oe-") ? "OpenEnclave" : "SgxEnclave", "--at", g.startsWith("oe-") ? AT_2021 : "2024-01-01T00:00:00Z"], stdinHexFrom: `sgx/azure-samples-genquotes/${g}.json`, code: 0 })),
  { name: "sgx-phala-quote-collateral", args: ["sgx/phala.sgx-quote.bin", "--type", "SgxEnclave", "--collateral", "sgx/phala.sgx-quote.collateral.json", "--at", "2025-06-20T00:00:00Z"], code: 0 },
  { name: "sgx-phala-quote", args: ["sgx/phala.sgx-quote.bin", "--type", "SgxEnclave", "--at", "2025-06-20T00:00:00Z"], code: 0 },
  { name: "snp-restspec-2022-report", args: ["snp/restspec-2022.report-field.b64url.txt", "--type", "SevSnpVm", "--runtime-data", "snp/restspec-2022.runtime-data.json", "--at", "2022-06-01T00:00:00Z"], code: 0 },
  { name: "snp-restspec-2022-raw-report", args: ["snp/restspec-2022.snp-report.bin", "--type", "SevSnpVm", "--collateral", "snp/restspec-2022.vcek-chain.pem", "--runtime-data", "snp/restspec-2022.runtime-data.json", "--at", "2022-06-01T00:00:00Z"], code: 0 },
  { name: "snp-constellation-azure", args: ["snp/constellation-azure.attestation.bin", "--type", "SevSnpVm", "--collateral", "snp/constellation-azure.vcek.pem", "--runtime-data", "snp/constellation-azure.runtime-data.json", "--at", "2024-01-01T00:00:00Z"], code: 0 },
  { name: "snp-go-sev-guest", args: ["snp/go-sev-guest.attestation.bin", "--type", "SevSnpVm", "--collateral", "snp/go-sev-guest.vcek.der", "--at", "2023-06-01T00:00:00Z"], code: 0 },
  { name: "snp-virtee-sev", args: ["snp/virtee-sev.report_milan.hex", "--type", "SevSnpVm", "--collateral", "snp/virtee-sev.vcek_milan.der", "--at", "2023-06-01T00:00:00Z"], code: 0 },
  { name: "tdx-go-tdx-guest-v4", args: ["tdx/go-tdx-guest.tdx_prod_quote_SPR_E4.dat", "--type", "TdxVm", "--at", "2023-06-01T00:00:00Z"], code: 0 },
  // Its PCK certificate is valid from 2026-01-27.
  { name: "tdx-go-tdx-guest-v5", args: ["tdx/go-tdx-guest.quote_v5_sample.dat", "--type", "TdxVm", "--at", "2026-02-01T00:00:00Z"], code: 0 },
  { name: "tdx-phala-v4-collateral", args: ["tdx/phala.tdx-quote-v4.bin", "--type", "TdxVm", "--collateral", "tdx/phala.tdx-quote-v4.collateral.json", "--at", "2025-06-20T00:00:00Z"], code: 0 },
  // Refused: its TCB level is not supported under its own collateral (the sample's point).
  { name: "tdx-phala-v5-outdated-collateral", args: ["tdx/phala.tdx-quote-v5-outdated.bin", "--type", "TdxVm", "--collateral", "tdx/phala.tdx-quote-v5-outdated.collateral.json", "--at", "2026-02-01T00:00:00Z"], code: 1 },
  // Verified as far as it can be offline: nothing in an HCL report is signed by a key we can check (the TDREPORT MAC is CPU-keyed).
  { name: "tdx-constellation-azure-hcl", args: ["tdx/constellation-azure-tdx.hclreport.bin", "--type", "TdxVm", "--at", "2024-06-01T00:00:00Z"], code: 0 },
];

async function runSample(s: Sample, format: "pretty" | "json") {
  const stdin = s.stdinHexFrom !== undefined ? (JSON.parse(readFileSync(path.join(fixtures, s.stdinHexFrom), "utf8")) as { QuoteHex: string }).QuoteHex : undefined;
  return runMaaPolicy(["evidence", ...s.args, "--format", format], { cwd: fixtures, ...(stdin !== undefined ? { stdin } : {}) });
}

describe("maa-policy evidence on every sample", () => {
  test.each(SAMPLES.map((s) => [s.name, s] as const))("%s: pretty", async (_name, s) => {
    const r = await runSample(s, "pretty");
    expect(r.stderr).toBe("");
    expect(r.code, r.stdout).toBe(s.code);
    expectGolden(path.join(goldens, `${s.name}.txt`), r.stdout);
  });

  test.each(SAMPLES.map((s) => [s.name, s] as const))("%s: json", async (_name, s) => {
    const r = await runSample(s, "json");
    expect(r.stderr).toBe("");
    expect(r.code, r.stdout).toBe(s.code);
    const json = JSON.parse(r.stdout) as { type: string; verified: boolean; checks: { id: string; status: string; detail: string }[]; claims: unknown[]; fields: object; diagnostics: unknown[] };
    expect(Object.keys(json)).toEqual(["type", "verified", "checks", "claims", "fields", "diagnostics"]);
    expect(json.verified).toBe(s.code === 0);
    for (const c of json.checks) {
      expect(["passed", "failed", "not-checked"]).toContain(c.status);
      expect(c.detail.length).toBeGreaterThan(0);
    }
    // Verified means no step failed; refused means at least one did or the evidence did not decode.
    if (json.verified) expect(json.checks.filter((c) => c.status === "failed")).toEqual([]);
    // The claims are in the claims-file format: parseClaimsInput reads them back unchanged.
    const back = parseClaimsInput(JSON.stringify(json.claims), "claims");
    expect(back.errors).toEqual([]);
    expect(back.claims.length).toBe(json.claims.length);
    expectGolden(path.join(goldens, `${s.name}.json`), r.stdout);
  });
});

test("every evidence file of the fixtures has a golden", () => {
  const used = new Set(SAMPLES.flatMap((s) => [...s.args.filter((a) => /^(sgx|snp|tdx)\//.test(a)), ...(s.stdinHexFrom ? [s.stdinHexFrom] : [])]));
  const evidence = [
    "sgx/azsdk-debug.sgx-quote.bin",
    "sgx/azsdk-debug.oe-report.bin",
    "sgx/azsdk-nondebug.oe-report.bin",
    "sgx/azsdk-debug.request.sgxenclave-binary.json",
    "sgx/azsdk-debug.request.sgxenclave-json.json",
    "sgx/azsdk-debug.request.openenclave-binary.json",
    "sgx/restspec-2020.sgx-quote.bin",
    "sgx/azsample-2020.post.attest.body.json",
    "sgx/phala.sgx-quote.bin",
    ...GENQUOTES.map((g) => `sgx/azure-samples-genquotes/${g}.json`),
    "snp/restspec-2022.report-field.b64url.txt",
    "snp/restspec-2022.snp-report.bin",
    "snp/constellation-azure.attestation.bin",
    "snp/go-sev-guest.attestation.bin",
    "snp/virtee-sev.report_milan.hex",
    "tdx/go-tdx-guest.tdx_prod_quote_SPR_E4.dat",
    "tdx/go-tdx-guest.quote_v5_sample.dat",
    "tdx/phala.tdx-quote-v4.bin",
    "tdx/phala.tdx-quote-v5-outdated.bin",
    "tdx/constellation-azure-tdx.hclreport.bin",
  ];
  for (const e of evidence) expect(used.has(e), e).toBe(true);
});
