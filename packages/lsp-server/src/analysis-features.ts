/**
 * The features that are functions of a document's analysis, by request name: the server runs
 * them on the main thread (in tests) or in the analysis worker, which holds the analysis.
 * Parameters are validated here, so that a malformed request gets `InvalidParams` either way.
 */
import * as lsp from "vscode-languageserver";
import type { Analysis } from "./analysis.js";
import { fromPosition, fromRange } from "./convert/from-lsp.js";
import { codeActions } from "./features/code-actions.js";
import { codeLenses, type LensClaims } from "./features/code-lens.js";
import { blockerOf, claimsFileFor, evaluatePolicy, fileExists } from "./features/custom-requests.js";
import { documentSymbols } from "./features/document-symbols.js";
import { foldingRanges } from "./features/folding-ranges.js";
import { formatDocument, formatDocumentRange } from "./features/formatting.js";
import { hover } from "./features/hover.js";
import { inlayHints } from "./features/inlay-hints.js";
import { definition, documentHighlight, prepareRename, references, rename } from "./features/navigation.js";
import { selectionRange } from "./features/selection-ranges.js";
import { semanticTokens } from "./features/semantic-tokens.js";
import { invalidParams, positionOf, positionsOf, rangeOf } from "./params.js";
import { uriToPath } from "./uri.js";

type P = Record<string, unknown>;

async function lenses(a: Analysis): Promise<lsp.CodeLens[]> {
  const path = uriToPath(a.uri);
  const claimsPath = claimsFileFor(path, a.settings, undefined);
  const exists = claimsPath !== undefined && (await fileExists(claimsPath));
  let outcome: LensClaims["outcome"];
  if (claimsPath !== undefined && exists) {
    try {
      outcome = { result: await evaluatePolicy({ text: a.text, path }, claimsPath) };
    } catch (e) {
      if (!(e instanceof lsp.ResponseError)) throw e;
      outcome = { error: e.message, blocker: blockerOf(e) };
    }
  }
  return codeLenses(a, { path: claimsPath, exists, outcome });
}

/** Every analysis feature, by name. */
export const ANALYSIS_FEATURES = {
  hover: (a: Analysis, p: P) => hover(a, fromPosition(a.lineIndex, positionOf(p))),
  definition: (a: Analysis, p: P) => definition(a, fromPosition(a.lineIndex, positionOf(p))),
  references: (a: Analysis, p: P) =>
    references(a, fromPosition(a.lineIndex, positionOf(p)), (p["context"] as { includeDeclaration?: unknown } | undefined)?.includeDeclaration !== false),
  documentHighlight: (a: Analysis, p: P) => documentHighlight(a, fromPosition(a.lineIndex, positionOf(p))),
  prepareRename: (a: Analysis, p: P) => prepareRename(a, fromPosition(a.lineIndex, positionOf(p))),
  rename: (a: Analysis, p: P) => {
    if (typeof p["newName"] !== "string") throw invalidParams("expected `newName` (a string)");
    return rename(a, fromPosition(a.lineIndex, positionOf(p)), p["newName"]);
  },
  inlayHint: (a: Analysis, p: P) => inlayHints(a, fromRange(a.lineIndex, rangeOf(p))),
  codeAction: (a: Analysis, p: P) => codeActions(a, fromRange(a.lineIndex, rangeOf(p)), (p["context"] as { only?: string[] } | undefined)?.only),
  formatting: (a: Analysis, p: P) => formatDocument(a, p["options"] as lsp.FormattingOptions | undefined),
  rangeFormatting: (a: Analysis, p: P) => formatDocumentRange(a, fromRange(a.lineIndex, rangeOf(p)), p["options"] as lsp.FormattingOptions | undefined),
  documentSymbol: (a: Analysis) => documentSymbols(a),
  foldingRange: (a: Analysis) => foldingRanges(a),
  selectionRange: (a: Analysis, p: P) => positionsOf(p).map((pos) => selectionRange(a, fromPosition(a.lineIndex, pos))),
  semanticTokens: (a: Analysis) => semanticTokens(a.text, a.lineIndex),
  codeLens: (a: Analysis) => lenses(a),
} as const;

/** The name of an analysis feature. */
export type AnalysisFeature = keyof typeof ANALYSIS_FEATURES;

/** The result type of an analysis feature. */
export type FeatureResult<F extends AnalysisFeature> = Awaited<ReturnType<(typeof ANALYSIS_FEATURES)[F]>>;

/** Runs a feature on an analysis. */
export async function runFeature<F extends AnalysisFeature>(feature: F, a: Analysis, params: unknown): Promise<FeatureResult<F>> {
  const fn = ANALYSIS_FEATURES[feature] as (a: Analysis, p: P) => unknown;
  return (await fn(a, (params ?? {}) as P)) as FeatureResult<F>;
}
