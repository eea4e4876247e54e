/**
 * `startServer(connection)`: wires the features to a connection. Keeps all its state in the
 * closure (no module-level state), so that tests can start any number of servers in-process.
 *
 * Every handler is guarded: an unexpected exception is logged through the connection and answered
 * with the handler's empty result; a request after `shutdown` is refused; a cancelled request is
 * answered with `RequestCancelled`.
 */
import { readFile } from "node:fs/promises";
import * as lsp from "vscode-languageserver";
import type { Analysis } from "./analysis.js";
import { clientSupport, serverCapabilities, type ClientSupport } from "./capabilities.js";
import { fromPosition, fromRange } from "./convert/from-lsp.js";
import { codeActions } from "./features/code-actions.js";
import { codeLenses, type LensClaims } from "./features/code-lens.js";
import { completion } from "./features/completion.js";
import {
  EvaluateRequest,
  HashRequest,
  PackRequest,
  claimsFileFor,
  evaluateParams,
  evaluatePolicy,
  fileExists,
  hashParams,
  hashPolicy,
  packParams,
  packPolicyRequest,
  type PolicySource,
} from "./features/custom-requests.js";
import { documentSymbols } from "./features/document-symbols.js";
import { foldingRanges } from "./features/folding-ranges.js";
import { formatDocument, formatDocumentRange } from "./features/formatting.js";
import { hover } from "./features/hover.js";
import { inlayHints } from "./features/inlay-hints.js";
import { definition, documentHighlight, prepareRename, references, rename } from "./features/navigation.js";
import { selectionRange } from "./features/selection-ranges.js";
import { buildSemanticTokens, semanticTokens } from "./features/semantic-tokens.js";
import { signatureHelp } from "./features/signature-help.js";
import { Workspace, documentPositions, uriToPath, type WorkspaceOptions } from "./workspace.js";

/** The server's name and version, reported at `initialize`. */
export const SERVER_INFO = { name: "maa-policy-lsp", version: "0.1.0" } as const;

/** Options of `startServer`. */
export interface ServerOptions extends WorkspaceOptions {
  /** How long `shutdown` waits for requests in flight before answering. */
  readonly shutdownGraceMs?: number;
}

/** A running server: what tests and `main.ts` may need. */
export interface RunningServer {
  readonly workspace: Workspace;
}

interface TextDocumentParams {
  readonly textDocument: { readonly uri: string };
}

function invalidParams(message: string): lsp.ResponseError<void> {
  return new lsp.ResponseError(lsp.ErrorCodes.InvalidParams, message);
}

function uriOf(params: unknown): string {
  const td = (params as { textDocument?: { uri?: unknown } } | null | undefined)?.textDocument;
  if (!td || typeof td.uri !== "string") throw invalidParams("expected `textDocument.uri` (a string)");
  return td.uri;
}

function positionOf(params: unknown): lsp.Position {
  const p = (params as { position?: { line?: unknown; character?: unknown } } | null | undefined)?.position;
  if (!p || typeof p.line !== "number" || typeof p.character !== "number" || p.line < 0 || p.character < 0) {
    throw invalidParams("expected `position` with non-negative `line` and `character`");
  }
  return p as lsp.Position;
}

function rangeOf(params: unknown): lsp.Range {
  const r = (params as { range?: { start?: unknown; end?: unknown } } | null | undefined)?.range;
  if (!r || typeof r !== "object") throw invalidParams("expected `range`");
  const ok = (p: unknown) => typeof p === "object" && p !== null && typeof (p as lsp.Position).line === "number" && typeof (p as lsp.Position).character === "number";
  if (!ok(r.start) || !ok(r.end)) throw invalidParams("expected `range` with `start` and `end` positions");
  return r as lsp.Range;
}

/** Starts a server on `connection` and begins listening. */
export function startServer(connection: lsp.Connection, options: ServerOptions = {}): RunningServer {
  const workspace = new Workspace(connection, options);
  const inFlight = new Set<Promise<unknown>>();
  const tokenBuilders = new Map<string, lsp.SemanticTokensBuilder>();
  let support: ClientSupport = clientSupport({});
  let shuttingDown = false;

  const describe = (e: unknown): string => (e instanceof Error ? (e.stack ?? e.message) : String(e));

  /** Wraps a handler: refusal after shutdown, cancellation, exceptions logged and answered with `empty`. */
  function guard<P, R>(name: string, empty: R, fn: (params: P, token: lsp.CancellationToken) => R | Promise<R>) {
    return async (params: P, token?: lsp.CancellationToken): Promise<R> => {
      if (shuttingDown) throw new lsp.ResponseError(lsp.ErrorCodes.InvalidRequest, "the server is shutting down");
      const tok = token ?? lsp.CancellationToken.None;
      const started = Date.now();
      const run = (async () => {
        try {
          return await fn(params, tok);
        } catch (e) {
          if (e instanceof lsp.ResponseError) throw e;
          connection.console.error(`${name} failed: ${describe(e)}`);
          return empty;
        }
      })();
      inFlight.add(run);
      try {
        const result = await run;
        if (tok.isCancellationRequested) throw new lsp.ResponseError(lsp.LSPErrorCodes.RequestCancelled, `${name}: cancelled`);
        connection.tracer.log(`${name}: ${Date.now() - started} ms`);
        return result;
      } finally {
        inFlight.delete(run);
      }
    };
  }

  /** A guarded handler of a text document request that needs the document's analysis. */
  function onAnalysis<P extends TextDocumentParams, R>(name: string, empty: R, fn: (a: Analysis, params: P, token: lsp.CancellationToken) => R | Promise<R>) {
    return guard<P, R>(name, empty, async (params, token) => {
      const uri = uriOf(params);
      const a = await workspace.analysisFor(uri);
      if (!a || token.isCancellationRequested) return empty;
      return fn(a, params, token);
    });
  }

  /** The text and path of a policy: the open document, else the file on disk. */
  async function policySource(uri: string): Promise<PolicySource> {
    const doc = workspace.document(uri);
    const path = uriToPath(uri);
    if (doc) return { text: doc.getText(), path };
    if (!path) throw invalidParams(`\`${uri}\` is not open and is not a file`);
    try {
      return { text: await readFile(path, "utf8"), path };
    } catch {
      throw invalidParams(`\`${uri}\` is not open and cannot be read`);
    }
  }

  connection.onInitialize((params) => {
    support = clientSupport(params.capabilities ?? {});
    workspace.client = { configuration: support.configuration, pullDiagnostics: support.pullDiagnostics };
    // Settings may come with the initialization options, as `{ settings }` or `{ "maa-policy": … }`.
    const init = params.initializationOptions as Record<string, unknown> | null | undefined;
    if (init && typeof init === "object") {
      const section = init["settings"] ?? init["maa-policy"];
      if (section !== undefined) workspace.changeConfiguration({ "maa-policy": section });
    }
    return { capabilities: serverCapabilities(support), serverInfo: SERVER_INFO };
  });

  connection.onInitialized(() => {
    if (support.configurationRegistration) {
      void connection.client.register(lsp.DidChangeConfigurationNotification.type, { section: "maa-policy" }).catch(() => undefined);
    }
    if (support.watchedFilesRegistration) {
      void connection.client
        .register(lsp.DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: "**/maa-policy.config.json" }, { globPattern: "**/*.claims.json" }],
        })
        .catch(() => undefined);
    }
  });

  connection.onDidChangeConfiguration((params) => workspace.changeConfiguration(params.settings));
  connection.onDidChangeWatchedFiles(() => {
    // A configuration file or a claims file changed: re-analyse, and let the lenses re-run.
    workspace.refreshAll();
    if (support.codeLensRefresh) void connection.sendRequest(lsp.CodeLensRefreshRequest.type).catch(() => undefined);
  });

  connection.onCompletion(
    guard<lsp.CompletionParams, lsp.CompletionList | null>("completion", null, async (params) => {
      const uri = uriOf(params);
      const position = positionOf(params);
      const doc = workspace.document(uri);
      if (!doc) return null;
      const settings = await workspace.settingsFor(uri);
      const current = workspace.document(uri);
      if (!current) return null;
      const positions = documentPositions(current);
      return completion({
        text: current.getText(),
        offset: positions.offset(position),
        positions,
        attestationType: settings.attestationType ?? workspace.knownAttestationType(uri),
        snippets: support.snippets,
      });
    }),
  );

  connection.onSignatureHelp(
    guard<lsp.SignatureHelpParams, lsp.SignatureHelp | null>("signatureHelp", null, (params) => {
      const doc = workspace.document(uriOf(params));
      if (!doc) return null;
      return signatureHelp(doc.getText(), doc.offsetAt(positionOf(params)));
    }),
  );

  connection.onHover(onAnalysis<lsp.HoverParams, lsp.Hover | null>("hover", null, (a, p) => hover(a, fromPosition(a.lineIndex, positionOf(p)))));
  connection.onDefinition(onAnalysis<lsp.DefinitionParams, lsp.Location[]>("definition", [], (a, p) => definition(a, fromPosition(a.lineIndex, positionOf(p)))));
  connection.onReferences(
    onAnalysis<lsp.ReferenceParams, lsp.Location[]>("references", [], (a, p) =>
      references(a, fromPosition(a.lineIndex, positionOf(p)), p.context?.includeDeclaration !== false),
    ),
  );
  connection.onDocumentHighlight(
    onAnalysis<lsp.DocumentHighlightParams, lsp.DocumentHighlight[]>("documentHighlight", [], (a, p) => documentHighlight(a, fromPosition(a.lineIndex, positionOf(p)))),
  );
  connection.onPrepareRename(
    onAnalysis<lsp.PrepareRenameParams, { range: lsp.Range; placeholder: string } | null>("prepareRename", null, (a, p) => prepareRename(a, fromPosition(a.lineIndex, positionOf(p)))),
  );
  connection.onRenameRequest(
    onAnalysis<lsp.RenameParams, lsp.WorkspaceEdit | null>("rename", null, (a, p) => {
      if (typeof p.newName !== "string") throw invalidParams("expected `newName` (a string)");
      return rename(a, fromPosition(a.lineIndex, positionOf(p)), p.newName);
    }),
  );
  connection.languages.inlayHint.on(
    onAnalysis<lsp.InlayHintParams, lsp.InlayHint[]>("inlayHint", [], (a, p) => inlayHints(a, fromRange(a.lineIndex, rangeOf(p)))),
  );
  connection.onCodeAction(
    onAnalysis<lsp.CodeActionParams, lsp.CodeAction[]>("codeAction", [], (a, p) => codeActions(a, fromRange(a.lineIndex, rangeOf(p)), p.context?.only)),
  );
  connection.onDocumentFormatting(
    onAnalysis<lsp.DocumentFormattingParams, lsp.TextEdit[]>("formatting", [], (a, p) => formatDocument(a, p.options)),
  );
  connection.onDocumentRangeFormatting(
    onAnalysis<lsp.DocumentRangeFormattingParams, lsp.TextEdit[]>("rangeFormatting", [], (a, p) => formatDocumentRange(a, fromRange(a.lineIndex, rangeOf(p)), p.options)),
  );
  connection.onDocumentSymbol(onAnalysis<lsp.DocumentSymbolParams, lsp.DocumentSymbol[]>("documentSymbol", [], (a) => documentSymbols(a)));
  connection.onFoldingRanges(onAnalysis<lsp.FoldingRangeParams, lsp.FoldingRange[]>("foldingRange", [], (a) => foldingRanges(a)));
  connection.onSelectionRanges(
    onAnalysis<lsp.SelectionRangeParams, lsp.SelectionRange[]>("selectionRange", [], (a, p) => {
      if (!Array.isArray(p.positions)) throw invalidParams("expected `positions` (an array)");
      return p.positions.map((pos) => selectionRange(a, fromPosition(a.lineIndex, pos)));
    }),
  );
  connection.languages.semanticTokens.on(
    onAnalysis<lsp.SemanticTokensParams, lsp.SemanticTokens>("semanticTokens", { data: [] }, (a) => {
      const builder = new lsp.SemanticTokensBuilder();
      tokenBuilders.set(a.uri, builder);
      return buildSemanticTokens(builder, semanticTokens(a.text, a.lineIndex), undefined) as lsp.SemanticTokens;
    }),
  );
  connection.languages.semanticTokens.onDelta(
    onAnalysis<lsp.SemanticTokensDeltaParams, lsp.SemanticTokens | lsp.SemanticTokensDelta>("semanticTokensDelta", { data: [] }, (a, p) => {
      let builder = tokenBuilders.get(a.uri);
      let previous: string | undefined = typeof p.previousResultId === "string" ? p.previousResultId : undefined;
      if (!builder) {
        builder = new lsp.SemanticTokensBuilder();
        tokenBuilders.set(a.uri, builder);
        previous = undefined;
      }
      return buildSemanticTokens(builder, semanticTokens(a.text, a.lineIndex), previous);
    }),
  );
  connection.onCodeLens(
    onAnalysis<lsp.CodeLensParams, lsp.CodeLens[]>("codeLens", [], async (a) => {
      const path = uriToPath(a.uri);
      const claimsPath = claimsFileFor(path, a.settings, undefined);
      const exists = claimsPath !== undefined && (await fileExists(claimsPath));
      let outcome: LensClaims["outcome"];
      if (claimsPath !== undefined && exists) {
        try {
          outcome = { result: await evaluatePolicy({ text: a.text, path }, claimsPath) };
        } catch (e) {
          if (!(e instanceof lsp.ResponseError)) throw e;
          outcome = { error: e.message };
        }
      }
      return codeLenses(a, { path: claimsPath, exists, outcome });
    }),
  );

  connection.languages.diagnostics.on(
    guard<lsp.DocumentDiagnosticParams, lsp.DocumentDiagnosticReport>("diagnostic", { kind: lsp.DocumentDiagnosticReportKind.Full, items: [] }, async (params) => {
      const uri = uriOf(params);
      if (!workspace.document(uri)) return { kind: lsp.DocumentDiagnosticReportKind.Full, items: [] };
      const r = await workspace.diagnosticsFor(uri);
      if (!r) {
        if (!workspace.document(uri)) return { kind: lsp.DocumentDiagnosticReportKind.Full, items: [] };
        throw new lsp.ResponseError(lsp.LSPErrorCodes.ServerCancelled, "the document changed", { retriggerRequest: true });
      }
      return { kind: lsp.DocumentDiagnosticReportKind.Full, items: r.diagnostics };
    }),
  );

  connection.onRequest(
    EvaluateRequest,
    guard("maa-policy/evaluate", null as never, async (params: unknown) => {
      const p = evaluateParams(params);
      const source = await policySource(p.uri);
      const settings = await workspace.settingsFor(p.uri);
      return evaluatePolicy(source, claimsFileFor(source.path, settings, p.claimsPath));
    }),
  );
  connection.onRequest(
    PackRequest,
    guard("maa-policy/pack", null as never, async (params: unknown) => {
      const p = packParams(params);
      return packPolicyRequest(await policySource(p.uri), p);
    }),
  );
  connection.onRequest(
    HashRequest,
    guard("maa-policy/hash", null as never, async (params: unknown) => {
      const p = hashParams(params);
      return hashPolicy(await policySource(p.uri));
    }),
  );

  connection.onShutdown(async () => {
    shuttingDown = true;
    const grace = options.shutdownGraceMs ?? 2000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...inFlight]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, grace);
      }),
    ]);
    if (timer) clearTimeout(timer);
    await workspace.stop();
  });

  workspace.listen();
  connection.listen();
  return { workspace };
}
