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
