/**
 * @maa-policy/core: the Microsoft Azure Attestation policy language as a library.
 *
 * Pure: no file system, network, process or console access; time and limits are injected.
 */
export type { TextRange } from "./text/text-range.js";
export { range, emptyRange, coverRanges, rangeContains, rangeTouches, sliceRange } from "./text/text-range.js";
export { LineIndex, type LineCol } from "./text/line-index.js";

export {
  diagnostic,
  fixOf,
  hasErrors,
  sortDiagnostics,
  applyFixes,
  type Diagnostic,
  type DiagnosticOptions,
  type Severity,
  type Fix,
  type TextEdit,
  type RelatedInformation,
} from "./diagnostics/diagnostic.js";
export { catalog, docsPath, isDiagnosticCode, type DiagnosticCode, type CatalogEntry, type Phase } from "./diagnostics/catalog/index.js";
export { renderDiagnostic, diagnosticToJson, type RenderOptions, type JsonDiagnostic, type JsonRange } from "./diagnostics/render.js";

export type * from "./syntax/ast.js";
export { parse, MAX_NESTING, type ParseResult } from "./syntax/parse.js";
export { parseForEditing, reparse, type IncrementalParse } from "./syntax/incremental.js";
export { childrenOf, walk, nodePathAt, CHILD_KEYS } from "./syntax/walk.js";
export {
  KEYWORDS,
  SECTION_NAMES,
  ACTION_NAMES,
  PROPERTY_NAMES,
  ARGUMENT_NAMES,
  FUNCTION_NAMES,
  COMPARISON_OPERATORS,
  KNOWN_VERSIONS,
  type SectionName,
  type ActionName,
  type PropertyName,
  type ArgumentName,
  type FunctionName,
  type ComparisonOperator,
} from "./syntax/tokens.js";
export { tokenize, type LexResult } from "./syntax/lexer.js";
export { blockCommentsBefore } from "./util/block-comments.js";
export { printPolicy, printRule, printCondition, printAction, printExpr } from "./syntax/print.js";
export { suggest, editDistance } from "./util/suggest.js";

export {
  ATTESTATION_TYPES,
  CLAIMS,
  findClaim,
  claimsFor,
  isAttestationType,
  type AttestationType,
  type ClaimInfo,
  type ClaimValueType,
} from "./claims/catalog.js";
export { CONFIG_PROPERTIES, findConfigProperty, type ConfigProperty } from "./claims/config-properties.js";
export {
  FUNCTION_SIGNATURES,
  type FunctionSignature,
  type FunctionParam,
  type FunctionValueType,
} from "./functions/signatures.js";

// Policy tokens (JWS): pack, unpack, verify, signer tokens, hashes.
export { PolicyTokenError, type TokenProblem } from "./jwt/errors.js";
export { POLICY_CLAIM, type PayloadForm } from "./jwt/payload.js";
export type { JwsHeader } from "./jwt/compact.js";
export { SIGNING_ALGORITHMS, type SigningAlgorithm } from "./jwt/algorithms.js";
export type { CertificateInfo } from "./jwt/certificates.js";
export type { SigningOptions } from "./jwt/sign.js";
export { packPolicy, type PackOptions, type PackResult } from "./jwt/pack.js";
export {
  unpackPolicy,
  classifyPolicyInput,
  type InputKind,
  SIGNER_CLAIMS,
  type SignerClaimName,
  type UnpackResult,
  type UnpackedPolicy,
  type UnpackedReset,
  type UnpackFailure,
} from "./jwt/unpack.js";
export {
  verifyPolicyToken,
  type TrustModel,
  type VerifyOptions,
  type VerifyResult,
  type VerifiedPolicy,
  type RejectedToken,
} from "./jwt/verify.js";
export {
  createSignerToken,
  verifySignerToken,
  type SignerTokenOptions,
  type SignerVerifyResult,
  type VerifiedSignerToken,
  type RejectedSignerToken,
} from "./jwt/signer.js";
export { policyHash, policyTokenHash } from "./jwt/hash.js";

// Evaluator (issue 5).
export { compile, type CompileResult, type CompileOptions } from "./eval/compile.js";
export type { CompiledPolicy, CompiledRule } from "./eval/program.js";
export {
  evaluate,
  compareValues,
  tokenView,
  DEFAULT_LIMITS,
  type InputClaim,
  type EvalOptions,
  type EvalLimits,
  type EvalResult,
} from "./eval/evaluate.js";
export type { TraceLevel, TraceEntry, TraceCondition, TraceTestFailure, TraceComparison } from "./eval/trace.js";
export { READ_ONLY_CLAIM_TYPES, type Claim, type ClaimValue, type ValueType } from "./eval/value.js";
export { evalResultToJson, claimToJson, type EvalResultJson, type JsonClaim } from "./eval/result-json.js";
export { parseClaimsInput, TOKEN_ENVELOPE_CLAIMS, type ClaimsInput, type ClaimsInputOptions } from "./eval/claims-input.js";
export { MAX_JSON_DEPTH, jsonTooDeepAt } from "./util/json-depth.js";
export { MAX_QUERY_DEPTH } from "./util/jmespath-depth.js";
export { check, checkParsed, checkIncrementally, type IncrementalCheck, isConfigurableCode, type CheckOptions, type CheckResult, type RuleLevel } from "./check/index.js";
export { inferAttestationType } from "./check/infer-attestation-type.js";
export { SAFE_FIX_CODES, hasSafeFix } from "./check/safe-fixes.js";

// Formatter (issue 4).
export { format, formatRange, eolFor, DEFAULT_WIDTH, DEFAULT_INDENT, type FormatOptions, type FormatResult, type FormatRangeResult } from "./format/format.js";
export { formatDirective } from "./format/comments.js";

// Policy diff (issue 16).
export {
  diffPolicies,
  type DiffInput,
  type DiffOptions,
  type DiffStatus,
  type PolicyDiff,
  type InputComparison,
  type FoundDifference,
  type RuleCoverage,
  type SearchReport,
} from "./diff/diff.js";
export { CHANGE_KINDS, compareResults, changeKinds, describeChange, type Change, type ChangeKind } from "./diff/compare.js";
export type { StructuralResult } from "./diff/canonical.js";
export {
  policyDiffToJson,
  inputClaimToJson,
  SEARCH_NOTE,
  type DiffSources,
  type PolicyDiffJson,
  type JsonInputComparison,
  type JsonInputClaim,
  type JsonOutcome,
  type JsonCoverage,
} from "./diff/report-json.js";
export { renderDiffMarkdown } from "./diff/markdown.js";
