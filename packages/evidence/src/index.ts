/**
 * @maa-policy/evidence: real attestation evidence (SGX quotes, OpenEnclave reports, SEV-SNP
 * reports, TDX quotes) decoded, verified offline and turned into the incoming claims MAA gives a
 * policy, and the token MAA would issue.
 *
 * Pure: no file system, network, process or console access; the clock is the `now` option.
 */
export type {
  EvidenceType,
  DataType,
  FieldValue,
  Fields,
  ParseResult,
  CheckStatus,
  VerificationCheck,
  EvidenceClaim,
  AppraiseOptions,
  Appraisal,
  Appraiser,
  InputInfo,
  InputForm,
  TokenOptions,
} from "./types.js";
export { EVIDENCE_TYPES } from "./types.js";
export { ByteReader, toHex, fromHex, isZero, bytesEqual, concatBytes, uintLE } from "./bytes.js";

export { appraiseEvidence } from "./appraise.js";
export { setDigestProvider, type DigestProvider, type DigestAlgorithm } from "./hash.js";
export { setP256Verifier, type P256Verifier } from "./signature.js";
export {
  readEvidenceOptionText,
  parseIsoTime,
  evidenceTypeNamed,
  type EvidenceOptionText,
  type EvidenceOptionName,
  type EvidenceTextOptions,
  type EvidenceOptionsResult,
} from "./options.js";
export { attestationToken, policyHashOf, JSON_CLAIMS, DEFAULT_ISSUER, TOKEN_LIFETIME } from "./token.js";
export { decodeEvidenceInput, sniffEvidenceType, decodeBase64Any, toBase64Url, type DecodedInput } from "./input.js";
export { parseSgxQuote, appraiseSgx } from "./sgx/index.js";
export { parseOpenEnclaveReport, appraiseOpenEnclave, OE_FORMATS } from "./oe/index.js";
export { parseTdxQuote, appraiseTdx } from "./tdx/index.js";
export {
  appraiseSnp,
  parseSnpReport,
  parseSnpJsonReport,
  verifySnp,
  snpClaims,
  AMD_ROOTS,
  type SnpReport,
  type SnpAppraiseOptions,
} from "./snp/index.js";
export { appraiseHcl, parseHclReport, isHclReport, parseTdReport } from "./hcl/index.js";
export { readIntelCollateral, type IntelCollateral } from "./intel/collateral.js";
export { INTEL_SGX_ROOT_SPKI_HEX } from "./intel/roots.js";
export { sortedJson, serializeJsonClaim, parseJsonData } from "./claims/runtime.js";
