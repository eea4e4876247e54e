/**
 * `startServer(connection)`: wires the features to a connection. Keeps all its state in the
 * closure (no module-level state), so that tests can start any number of servers in-process.
 *
 * Every handler is guarded: an unexpected exception is logged through the connection and answered
 * with the handler's empty result; a request after `shutdown` is refused; a cancelled request is
 * answered with `RequestCancelled`.
 */
import { readFile } from "node:fs/promises";
import { basename, dirname, resolve as resolvePath } from "node:path";
import { pathToFileURL } from "node:url";
import * as lsp from "vscode-languageserver";
import { clientSupport, serverCapabilities, type ClientSupport } from "./capabilities.js";
import { completion } from "./features/completion.js";
import {
  DiffRequest,
  EvaluateRequest,
  HashRequest,
  PackRequest,
  claimsFileFor,
  diffParams,
  diffPolicyRequest,
  evaluateParams,
  evaluatePolicy,
  hashParams,
  hashPolicy,
  packParams,
  packPolicyRequest,
  type PolicySource,
} from "./features/custom-requests.js";
import { SHOW_FIRST_ERROR_COMMAND } from "./features/code-lens.js";
import { buildSemanticTokens } from "./features/semantic-tokens.js";
import { signatureHelp } from "./features/signature-help.js";
import type { AnalysisFeature, FeatureResult } from "./analysis-features.js";
import { invalidParams, positionOf, rangeOf, uriOf } from "./params.js";
import { uriToPath } from "./uri.js";
import { Workspace, documentPositions, type WorkspaceOptions } from "./workspace.js";

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

  /** A guarded handler of a request answered by an analysis feature (`empty` when the document is not open). */
  function onAnalysis<F extends AnalysisFeature>(feature: F, empty: FeatureResult<F>) {
    return guard<unknown, FeatureResult<F>>(feature, empty, async (params) => {
      const uri = uriOf(params);
      return (await workspace.feature(uri, feature, params)) ?? empty;
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

  connection.onHover(onAnalysis("hover", null));
  connection.onDefinition(onAnalysis("definition", []));
  connection.onReferences(onAnalysis("references", []));
  connection.onDocumentHighlight(onAnalysis("documentHighlight", []));
  connection.onPrepareRename(onAnalysis("prepareRename", null));
  connection.onRenameRequest(onAnalysis("rename", null));
  connection.languages.inlayHint.on(onAnalysis("inlayHint", []));
  connection.onCodeAction(onAnalysis("codeAction", []));
  connection.onDocumentFormatting(onAnalysis("formatting", []));
  connection.onDocumentRangeFormatting(onAnalysis("rangeFormatting", []));
  connection.onDocumentSymbol(onAnalysis("documentSymbol", []));
  connection.onFoldingRanges(onAnalysis("foldingRange", []));
  connection.onSelectionRanges(onAnalysis("selectionRange", []));
  connection.onCodeLens(onAnalysis("codeLens", []));
  // The command of a lens that cannot evaluate: show the first error (or the unreadable claims
  // file) in the client, or say where it is when the client cannot show documents.
  connection.onExecuteCommand(
    guard<lsp.ExecuteCommandParams, null>("executeCommand", null, async (params) => {
      if (params.command !== SHOW_FIRST_ERROR_COMMAND) throw invalidParams(`unknown command \`${String(params.command)}\``);
      const arg: unknown = params.arguments?.[0];
      const uri = (arg as { uri?: unknown } | null | undefined)?.uri;
      if (typeof uri !== "string") throw invalidParams(`${SHOW_FIRST_ERROR_COMMAND}: expected an argument \`{ uri, range }\``);
      const range = rangeOf(arg);
      if (support.showDocument) {
        await connection.window.showDocument({ uri, selection: range, takeFocus: true });
      } else {
        const where = uriToPath(uri) ?? uri;
        const message = `the first error is at ${where}:${range.start.line + 1}:${range.start.character + 1}`;
        void connection.sendNotification(lsp.ShowMessageNotification.type, { type: lsp.MessageType.Info, message });
      }
      return null;
    }),
  );
  connection.languages.semanticTokens.on(
    guard<lsp.SemanticTokensParams, lsp.SemanticTokens>("semanticTokens", { data: [] }, async (params) => {
      const uri = uriOf(params);
      const tokens = await workspace.feature(uri, "semanticTokens", params);
      if (!tokens) return { data: [] };
      const builder = new lsp.SemanticTokensBuilder();
      tokenBuilders.set(uri, builder);
      return buildSemanticTokens(builder, tokens, undefined) as lsp.SemanticTokens;
    }),
  );
  connection.languages.semanticTokens.onDelta(
    guard<lsp.SemanticTokensDeltaParams, lsp.SemanticTokens | lsp.SemanticTokensDelta>("semanticTokensDelta", { data: [] }, async (params) => {
      const uri = uriOf(params);
      const tokens = await workspace.feature(uri, "semanticTokens", params);
      if (!tokens) return { data: [] };
      let builder = tokenBuilders.get(uri);
      let previous: string | undefined = typeof params.previousResultId === "string" ? params.previousResultId : undefined;
      if (!builder) {
        builder = new lsp.SemanticTokensBuilder();
        tokenBuilders.set(uri, builder);
        previous = undefined;
      }
      return buildSemanticTokens(builder, tokens, previous);
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
    DiffRequest,
    guard("maa-policy/diff", null as never, async (params: unknown) => {
      const p = diffParams(params);
      const current = await policySource(p.uri);
      // `against` is a URI (an open document is read from the editor) or a file path.
      const againstUri = /^[a-z][a-z0-9+.-]*:/i.test(p.against) && !/^[a-z]:[\\/]/i.test(p.against) ? p.against : pathToFileURL(resolvePath(current.path ? dirname(current.path) : ".", p.against)).href;
      const old = await policySource(againstUri);
      const name = (s: PolicySource, uri: string): string => (s.path ? basename(s.path) : uri);
      return diffPolicyRequest({ ...old, name: name(old, againstUri) }, { ...current, name: name(current, p.uri) }, p);
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

  workspace.documents.onDidClose((e) => tokenBuilders.delete(e.document.uri));
  workspace.listen();
  connection.listen();
  return { workspace };
}
