/**
 * P52xx: AMD SEV-SNP evidence (the ATTESTATION_REPORT, the JSON `report` of `/attest/SevSnpVm`, the
 * VCEK/VLEK certificate chain to AMD's ARK) and the Azure HCL report wrapper (SNP and TDX).
 *
 * P5200-P5239 SEV-SNP, P5240-P5269 Azure HCL report. Ranges are byte offsets into the decoded evidence.
 */
import type { CatalogEntry } from "./types.js";

export const evidenceAmdCodes = {
  P5202: { slug: "snp-report-version", phase: "evidence", severity: "error", summary: "the SEV-SNP report version is not one of 1 to 5" },
  P5203: { slug: "snp-trailing-bytes", phase: "evidence", severity: "warning", summary: "bytes follow the 1184-byte SEV-SNP report and are not part of it" },
  P5204: { slug: "snp-signature-algorithm", phase: "evidence", severity: "error", summary: "the report's `signature_algo` is not 1 (ECDSA P-384 with SHA-384)" },
  P5205: { slug: "snp-reserved-not-zero", phase: "evidence", severity: "warning", summary: "a reserved (must-be-zero) field of the SEV-SNP report is not zero" },
  P5206: { slug: "snp-report-json", phase: "evidence", severity: "error", summary: "the SevSnpVm `report` JSON (`SnpReport`, `VcekCertChain`) is malformed" },
  P5207: { slug: "snp-bad-certificate", phase: "evidence", severity: "error", summary: "a certificate or CRL of the VCEK/VLEK chain or collateral cannot be read, or there are more than 10 certificates" },
  P5208: { slug: "snp-bad-signature", phase: "evidence", severity: "error", summary: "the report signature does not verify with the VCEK or VLEK public key" },
  P5209: { slug: "snp-untrusted-root", phase: "evidence", severity: "error", summary: "the chain does not end at a pinned AMD root key (ARK of Milan, Genoa or Turin)" },
  P5210: { slug: "snp-chain-signature", phase: "evidence", severity: "error", summary: "a certificate of the chain is not signed by the next one (VCEK by ASK, ASK by ARK)" },
  P5211: { slug: "snp-certificate-expired", phase: "evidence", severity: "error", summary: "a certificate of the chain is expired or not yet valid at the verification time" },
  P5212: { slug: "snp-vcek-tcb-mismatch", phase: "evidence", severity: "error", summary: "the VCEK's TCB extensions differ from the report's `reported_tcb`" },
  P5213: { slug: "snp-vcek-hwid-mismatch", phase: "evidence", severity: "error", summary: "the VCEK's hwID differs from the report's `chip_id`: it was issued for another chip" },
  P5214: { slug: "snp-runtime-data-mismatch", phase: "evidence", severity: "error", summary: "`report_data[0:32]` of the SEV-SNP report is not SHA-256 of the runtime data" },
  P5215: { slug: "snp-init-time-data-mismatch", phase: "evidence", severity: "error", summary: "`host_data` is not SHA-256 of the init-time data" },
  P5216: { slug: "snp-no-vcek", phase: "evidence", severity: "error", summary: "no VCEK or VLEK certificate was supplied, so the report signature cannot be checked" },
  P5217: { slug: "snp-runtime-data-not-json", phase: "evidence", severity: "error", summary: "runtime or init-time data given as JSON does not parse as a JSON object" },
  P5218: { slug: "snp-signing-key-mismatch", phase: "evidence", severity: "error", summary: "the report's `signer_info` names a signing key (VCEK, VLEK, none) other than the certificate supplied" },
  P5219: { slug: "snp-policy-reserved-bit", phase: "evidence", severity: "warning", summary: "guest policy bit 17 (reserved, must be one) is zero" },
  P5220: { slug: "snp-certificate-revoked", phase: "evidence", severity: "error", summary: "the ASK (or ASVK) of the chain is listed in the ARK's CRL supplied as collateral" },
  P5221: { slug: "snp-bad-crl", phase: "evidence", severity: "error", summary: "the AMD CRL supplied is not signed by the pinned ARK, or is out of date at the verification time" },
  P5241: { slug: "hcl-bad-magic", phase: "evidence", severity: "error", summary: "the Azure HCL report does not start with `HCLA`" },
  P5242: { slug: "hcl-report-type", phase: "evidence", severity: "error", summary: "the HCL report type is not SNP (2) or TDX (4), or disagrees with the hardware report" },
  P5243: { slug: "hcl-hash-type", phase: "evidence", severity: "error", summary: "the HCL `report_data_hash_type` is not 1 (SHA-256)" },
  P5244: { slug: "hcl-variable-data-mismatch", phase: "evidence", severity: "error", summary: "`report_data[0:32]` of the hardware report is not SHA-256 of the HCL variable data" },
  P5245: { slug: "hcl-tdreport-hash-mismatch", phase: "evidence", severity: "error", summary: "a TDREPORT digest (`tee_tcb_info_hash`, `tee_info_hash`) is not SHA-384 of the structure it covers" },
  P5246: { slug: "hcl-size-mismatch", phase: "evidence", severity: "warning", summary: "a size field of the HCL report disagrees with the other sizes or with the bytes present" },
  P5247: { slug: "hcl-variable-data-not-json", phase: "evidence", severity: "error", summary: "the HCL variable data (the runtime claims) is not a JSON object" },
} as const satisfies Record<string, CatalogEntry>;
