/** P5001-P5199: attestation evidence (SGX, OpenEnclave, TDX; SEV-SNP and HCL codes are in `evidence-amd.ts`). */
import type { CatalogEntry } from "./types.js";

export const evidenceCodes = {
  P5001: { slug: "evidence-truncated", phase: "evidence", severity: "error", summary: "the evidence ends inside a field: the field, its offset and the bytes missing are named" },
  P5002: { slug: "unsupported-evidence-version", phase: "evidence", severity: "error", summary: "a version field holds a value this decoder does not read (SGX quote 3/4, TDX quote 4/5, OE header 1/3)" },
  P5003: { slug: "unsupported-key-type", phase: "evidence", severity: "error", summary: "an attestation key, TEE or certification data type that is not supported (only ECDSA P-256 with a PCK chain)" },
  P5004: { slug: "unrecognised-evidence-input", phase: "evidence", severity: "error", summary: "the input is neither evidence bytes, hex, base64, base64url nor an attest request body, or its type cannot be told" },
  P5005: { slug: "malformed-evidence-field", phase: "evidence", severity: "error", summary: "a field holds a value its layout does not allow (a size past the end, a reserved value, bad PEM)" },
  P5006: { slug: "trailing-evidence-bytes", phase: "evidence", severity: "warning", summary: "bytes follow the end of the evidence; they are ignored and not signed" },
  P5010: { slug: "bad-quote-signature", phase: "evidence", severity: "error", summary: "the quote signature does not verify with the attestation key: the signed header or body was changed" },
  P5011: { slug: "qe-binding-mismatch", phase: "evidence", severity: "error", summary: "the QE report data is not SHA-256 of the attestation key and QE authentication data" },
  P5012: { slug: "bad-qe-report-signature", phase: "evidence", severity: "error", summary: "the QE report signature does not verify with the PCK certificate's key" },
  P5013: { slug: "untrusted-root", phase: "evidence", severity: "error", summary: "the certificate chain does not end at the Intel SGX Root CA key" },
  P5014: { slug: "broken-certificate-chain", phase: "evidence", severity: "error", summary: "a certificate of the chain is not signed by the next one, or cannot be read" },
  P5015: { slug: "certificate-not-valid-at-time", phase: "evidence", severity: "error", summary: "a certificate of the chain is expired or not yet valid at the verification time" },
  P5020: { slug: "runtime-data-mismatch", phase: "evidence", severity: "error", summary: "report_data[0:32] is not SHA-256 of the runtime data (or report_data[32:64] is not zero)" },
  P5021: { slug: "init-time-data-mismatch", phase: "evidence", severity: "error", summary: "the init-time data is not bound by the evidence (SHA-256 in CONFIGID for SGX)" },
  P5022: { slug: "runtime-data-not-json", phase: "evidence", severity: "error", summary: "runtime or init-time data of type JSON is not a JSON object" },
  P5030: { slug: "bad-collateral", phase: "evidence", severity: "error", summary: "the collateral cannot be read, or its signature or issuer chain does not verify" },
  P5031: { slug: "certificate-revoked", phase: "evidence", severity: "error", summary: "a certificate of the chain is listed in the CRL of its issuer" },
  P5032: { slug: "tcb-not-up-to-date", phase: "evidence", severity: "warning", summary: "the platform TCB level under the TCB info is not UpToDate (OutOfDate, ConfigurationNeeded …; Revoked is an error)" },
  P5033: { slug: "qe-identity-mismatch", phase: "evidence", severity: "error", summary: "the quoting enclave does not match the QE identity (MRSIGNER, ISVPRODID, attributes, MISCSELECT) or its TCB is revoked" },
  P5034: { slug: "collateral-out-of-date", phase: "evidence", severity: "warning", summary: "the collateral's `nextUpdate` is before the verification time (or `issueDate` after it)" },
  P5035: { slug: "collateral-mismatch", phase: "evidence", severity: "error", summary: "the collateral is for another platform or TEE (FMSPC, PCE ID or TCB info id differ)" },
} as const satisfies Record<string, CatalogEntry>;
