/**
 * The VS Code extension: starts the bundled language server (`dist/server.cjs`, over node IPC)
 * with `vscode-languageclient` and registers the commands. Everything the language needs happens
 * in the server.
 */
import * as path from "node:path";
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import { LANGUAGE_ID, registerCommands } from "./commands.js";
import { EVALUATION_SCHEME, EvaluationView } from "./evaluation-view.js";

/** The bundled server, relative to the extension's root. */
export const SERVER_MODULE = path.join("dist", "server.cjs");

let client: LanguageClient | undefined;

/** Called by VS Code when a policy is opened or a command runs. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(SERVER_MODULE);
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6009"] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: LANGUAGE_ID },
      { scheme: "untitled", language: LANGUAGE_ID },
    ],
    outputChannelName: "MAA Policy Language Server",
  };
  const evaluations = new EvaluationView();
  context.subscriptions.push(
    evaluations,
    vscode.workspace.registerTextDocumentContentProvider(EVALUATION_SCHEME, evaluations),
    ...registerCommands(() => client, evaluations),
  );
  client = new LanguageClient(LANGUAGE_ID, "MAA Policy Language Server", serverOptions, clientOptions);
  await client.start();
}

/** Called by VS Code on shutdown: stops the server. */
export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}
