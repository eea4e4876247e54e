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
export { printPolicy } from "./syntax/print.js";
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
