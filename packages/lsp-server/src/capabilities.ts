/**
 * The server's capabilities, given the client's.
 */
import * as lsp from "vscode-languageserver";
import { SHOW_FIRST_ERROR_COMMAND } from "./features/code-lens.js";
import { SEMANTIC_TOKENS_LEGEND } from "./features/semantic-tokens.js";

/** What the server learned about the client at `initialize`. */
export interface ClientSupport {
  /** `workspace/configuration` requests. */
  readonly configuration: boolean;
  /** `workspace/didChangeConfiguration` dynamic registration. */
  readonly configurationRegistration: boolean;
  /** Pull diagnostics (`textDocument/diagnostic`). */
  readonly pullDiagnostics: boolean;
  /** Snippets in completion items. */
  readonly snippets: boolean;
  /** `workspace/didChangeWatchedFiles` dynamic registration. */
  readonly watchedFilesRegistration: boolean;
  /** `workspace/codeLens/refresh` requests. */
  readonly codeLensRefresh: boolean;
  /** `window/showDocument` requests (LSP 3.16). */
  readonly showDocument: boolean;
}

/** Reads what matters from the client's capabilities. */
export function clientSupport(caps: lsp.ClientCapabilities): ClientSupport {
  return {
    configuration: caps.workspace?.configuration === true,
    configurationRegistration: caps.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    pullDiagnostics: caps.textDocument?.diagnostic !== undefined,
    snippets: caps.textDocument?.completion?.completionItem?.snippetSupport === true,
    watchedFilesRegistration: caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    codeLensRefresh: caps.workspace?.codeLens?.refreshSupport === true,
    showDocument: caps.window?.showDocument?.support === true,
  };
}

/** Characters that open completion. */
export const COMPLETION_TRIGGERS = ['"', ".", "[", ",", "(", "=", " ", ">"];

/** The server capabilities for a client. */
export function serverCapabilities(support: ClientSupport): lsp.ServerCapabilities {
  const caps: lsp.ServerCapabilities = {
    positionEncoding: lsp.PositionEncodingKind.UTF16,
    textDocumentSync: { openClose: true, change: lsp.TextDocumentSyncKind.Incremental, save: false },
    completionProvider: { triggerCharacters: COMPLETION_TRIGGERS, resolveProvider: false },
    hoverProvider: true,
    definitionProvider: true,
    referencesProvider: true,
    documentHighlightProvider: true,
    renameProvider: { prepareProvider: true },
    signatureHelpProvider: { triggerCharacters: ["(", ","], retriggerCharacters: [","] },
    inlayHintProvider: { resolveProvider: false },
    codeActionProvider: { codeActionKinds: [lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.SourceFixAll], resolveProvider: false },
    documentSymbolProvider: { label: "MAA policy" },
    foldingRangeProvider: true,
    selectionRangeProvider: true,
    semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: { delta: true }, range: false },
    codeLensProvider: { resolveProvider: false },
    executeCommandProvider: { commands: [SHOW_FIRST_ERROR_COMMAND] },
    documentFormattingProvider: true,
    documentRangeFormattingProvider: true,
  };
  if (support.pullDiagnostics) {
    caps.diagnosticProvider = { identifier: "maa-policy", interFileDependencies: false, workspaceDiagnostics: false };
  }
  return caps;
}
