/**
 * The contract of `@maa-policy/evidence`: what every parser, verifier and claim mapper returns.
 *
 * Pure functions over `Uint8Array`: no files, network or clock (time is the `now` option). Nothing
 * here throws on any bytes; problems are policy-core `Diagnostic`s whose `range` is a half-open
 * byte range in the decoded evidence and whose message names the field and the offset.
 */
import type { Diagnostic, DiagnosticCode } from "@maa-policy/core";

// CAUTION: public API
/** The MAA attestation types that take evidence (the `/attest/<type>` paths). */
export type EvidenceType = "SgxEnclave" | "OpenEnclave" | "SevSnpVm" | "TdxVm";

/** Every evidence type, in a stable order. */
export const EVIDENCE_TYPES: readonly EvidenceType[] = ["SgxEnclave", "OpenEnclave", "SevSnpVm", "TdxVm"];

// CAUTION: public API
/** How MAA reads runtime data and init-time data (`dataType` of the attest request). */
export type DataType = "Binary" | "JSON";

// CAUTION: public API
/**
 * A decoded field value: plain JSON-able data so a front end can print it. Byte arrays are
 * lowercase hex strings; integers are numbers (bigints only beyond 2^53 − 1).
 */
export type FieldValue = string | number | bigint | boolean | null | readonly FieldValue[] | { readonly [name: string]: FieldValue };

/** A decoded structure: field name → value (nested structures are objects). */
export type Fields = { readonly [name: string]: FieldValue };

// CAUTION: public API
/** The result of a parse: the decoded structure when it could be read, and what went wrong. */
export interface ParseResult<T> {
  readonly value?: T;
  readonly diagnostics: readonly Diagnostic[];
}

// CAUTION: public API
/** The outcome of one verification step. */
export type CheckStatus = "passed" | "failed" | "not-checked";

// CAUTION: public API
/**
 * One verification step, reported separately. `not-checked` says why in `detail` (for example
 * "no collateral supplied: TCB status, QE identity and CRLs were not checked"). Never pretends.
 */
export interface VerificationCheck {
  /** Stable id such as `sgx.quote-signature`, `intel.pck-chain`, `snp.report-signature`. */
  readonly id: string;
  /** A short human title ("Quote signature by the attestation key"). */
  readonly title: string;
  readonly status: CheckStatus;
  /** One line: what was checked and the result, or why the step was not made. */
  readonly detail: string;
  /** The diagnostic code of a failure. */
  readonly code?: DiagnosticCode;
}

// CAUTION: public API
/**
 * An incoming claim as MAA gives it to the policy: a policy-core claim (the same value types as
 * `parseClaimsInput` produces; an object value such as `x-ms-runtime` is its JSON text with the
 * keys sorted, as MAA serializes it).
 */
export interface EvidenceClaim {
  readonly type: string;
  readonly value: boolean | number | bigint | string;
  readonly issuer: "AttestationService";
}

// CAUTION: public API
/** Options of `appraiseEvidence` (and of each type's appraiser). */
export interface AppraiseOptions {
  /** The attestation type; optional when the input says it (a request body, an OE report, an SNP JSON report). */
  readonly type?: EvidenceType;
  /** The runtime data bytes (decoded: not base64). Overrides the request body's `runtimeData`. */
  readonly runtimeData?: Uint8Array;
  /** Default: the request body's `dataType`, else `Binary` for SGX/OpenEnclave and `JSON` for SNP/TDX. */
  readonly runtimeDataType?: DataType;
  readonly initTimeData?: Uint8Array;
  readonly initTimeDataType?: DataType;
  /**
   * Verification collateral, as the bytes (or text) of a collateral file: for Intel, a JSON object
   * with the Intel PCS fields (`tcb_info`, `tcb_info_signature`, `tcb_info_issuer_chain`,
   * `qe_identity`, `qe_identity_signature`, `qe_identity_issuer_chain`, `pck_crl`,
   * `pck_crl_issuer_chain`, `root_ca_crl`; see RULINGS.md); for SEV-SNP, what `src/snp` documents.
   */
  readonly collateral?: Uint8Array | string;
  /** The request nonce (overrides the request body's `nonce`); it becomes the token's `nonce`. */
  readonly nonce?: string;
  /** The verification time (certificate validity, collateral freshness). */
  readonly now: Date;
  /**
   * OpenEnclave only: what `x-ms-sgx-collateral.quotehash` hashes. `report` (default): the whole
   * OE report, as the service does since 2022; `quote`: the inner SGX quote, as in 2021.
   */
  readonly openEnclaveQuoteHash?: "report" | "quote";
}

// CAUTION: public API
/** What appraising one piece of evidence gives: the same shape for every type. */
export interface Appraisal {
  readonly type: EvidenceType;
  /** True when no check failed and the evidence decoded without errors (`not-checked` steps do not refuse). */
  readonly verified: boolean;
  readonly checks: readonly VerificationCheck[];
  /** The incoming claims, in MAA's order. */
  readonly claims: readonly EvidenceClaim[];
  /** Every decoded field (the layouts of EVIDENCE.md section 1), plus the input form. */
  readonly fields: Fields;
  readonly diagnostics: readonly Diagnostic[];
  /** The decoded input to the appraisal: the form detected, the nonce and draft policy of a request body. */
  readonly input?: InputInfo;
}

// CAUTION: public API
/** What input detection found. */
export interface InputInfo {
  /** `binary`, `hex`, `base64`, `base64url`, `request-json` (an attest request body) or `snp-json` (`{"SnpReport",…}`). */
  readonly form: InputForm;
  readonly nonce?: string;
  readonly draftPolicyForAttestation?: string;
}

/** The input forms `decodeEvidenceInput` recognises. */
export type InputForm = "binary" | "hex" | "base64" | "base64url" | "request-json" | "snp-json";

// CAUTION: public API
/** The options of `attestationToken`. */
export interface TokenOptions {
  readonly now: Date;
  /** The `iss` of the token; default `https://localhost` (no service instance). */
  readonly issuer?: string;
  /** The policy text the evaluation ran (its hash is `x-ms-policy-hash`). */
  readonly policyText: string;
  /** Lifetime in seconds; default 28800 (8 h, as MAA). */
  readonly lifetimeSeconds?: number;
}

// CAUTION: public API
/**
 * A type's appraiser (`appraiseSgx`, `appraiseTdx`, `appraiseSnp` …): the decoded evidence bytes
 * (after input detection; a request body's runtime data, init-time data and nonce already moved
 * into `options`) to an appraisal. Async because WebCrypto is. Never rejects on any bytes.
 */
export type Appraiser = (evidence: Uint8Array, options: AppraiseOptions) => Promise<Appraisal>;
