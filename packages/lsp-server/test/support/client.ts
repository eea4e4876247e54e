/**
 * An in-process LSP client for tests: the server runs on PassThrough streams in the same process
 * and the client talks JSON-RPC to it through vscode-jsonrpc.
 */
import { PassThrough } from "node:stream";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node.js";
import { createConnection } from "vscode-languageserver/node.js";
import type * as lsp from "vscode-languageserver";
import { startServer, type RunningServer, type ServerOptions } from "../../src/server.js";

/** Rejects after `ms` with a message naming what was awaited. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

/** Client capabilities of a typical modern editor. */
export const CLIENT_CAPABILITIES: lsp.ClientCapabilities = {
  textDocument: {
    completion: { completionItem: { snippetSupport: true } },
    synchronization: { dynamicRegistration: false },
  },
  workspace: { configuration: true },
};

/** A test client connected to an in-process server. */
export class TestClient {
  readonly connection: MessageConnection;
  readonly diagnostics = new Map<string, lsp.PublishDiagnosticsParams[]>();
  readonly logs: string[] = [];
  private readonly waiters: { uri: string; test: (p: lsp.PublishDiagnosticsParams) => boolean; resolve: (p: lsp.PublishDiagnosticsParams) => void }[] = [];
  /** The `maa-policy` section returned to `workspace/configuration`. */
  settings: unknown = {};
  private readonly streams: PassThrough[];
  /** The server under test (its workspace holds the documents). */
  readonly server: RunningServer;

  constructor(options: ServerOptions = {}) {
    const up = new PassThrough();
    const down = new PassThrough();
    this.streams = [up, down];
    const serverConnection = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
    this.server = startServer(serverConnection, { debounceMs: 1, ...options });
    this.connection = createMessageConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
    this.connection.onNotification("textDocument/publishDiagnostics", (p: lsp.PublishDiagnosticsParams) => {
      const list = this.diagnostics.get(p.uri) ?? [];
      list.push(p);
      this.diagnostics.set(p.uri, list);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && w.test(p)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onNotification("window/logMessage", (p: { message: string }) => this.logs.push(p.message));
    this.connection.onRequest("workspace/configuration", (p: { items: unknown[] }) => p.items.map(() => this.settings));
    this.connection.onRequest("client/registerCapability", () => null);
    this.connection.onRequest("workspace/diagnostic/refresh", () => null);
    this.connection.listen();
  }

  /** Initializes the server with `capabilities`. */
  async initialize(capabilities: lsp.ClientCapabilities = CLIENT_CAPABILITIES, initializationOptions?: unknown): Promise<lsp.InitializeResult> {
    const r = await this.request<lsp.InitializeResult>("initialize", { processId: null, rootUri: null, capabilities, initializationOptions });
    await this.connection.sendNotification("initialized", {});
    return r;
  }

  /** Sends a request with a timeout. */
  request<R>(method: string, params: unknown, ms = 10_000): Promise<R> {
    return withTimeout(this.connection.sendRequest(method, params) as Promise<R>, ms, method);
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.notify("textDocument/didOpen", { textDocument: { uri, languageId: "maa-policy", version, text } });
  }

  change(uri: string, version: number, contentChanges: lsp.TextDocumentContentChangeEvent[]): Promise<void> {
    return this.notify("textDocument/didChange", { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): Promise<void> {
    return this.notify("textDocument/didClose", { textDocument: { uri } });
  }

  /** Waits for a diagnostics notification for `uri` that passes `test`. */
  waitDiagnostics(uri: string, test: (p: lsp.PublishDiagnosticsParams) => boolean = () => true, ms = 10_000): Promise<lsp.PublishDiagnosticsParams> {
    const seen = (this.diagnostics.get(uri) ?? []).find(test);
    if (seen) return Promise.resolve(seen);
    return withTimeout(new Promise((resolve) => this.waiters.push({ uri, test, resolve })), ms, `diagnostics for ${uri}`);
  }

  /** Waits for diagnostics of a given document version. */
  waitVersion(uri: string, version: number, ms = 10_000): Promise<lsp.PublishDiagnosticsParams> {
    return this.waitDiagnostics(uri, (p) => p.version === version, ms);
  }

  dispose(): void {
    this.connection.dispose();
    for (const s of this.streams) s.destroy();
  }
}

/** A small valid policy. */
export const VALID_POLICY = `version=1.2;
authorizationrules
{
    c:[type=="x-ms-sgx-is-debuggable", value==false] => permit();
};
issuancerules
{
    c:[type=="x-ms-sgx-mrsigner"] => issue(type="signer", value=c.value);
};
`;

/** The offset of the `n`-th occurrence (0-based) of `needle` in `text`, plus `delta`. */
export function offsetOf(text: string, needle: string, delta = 0, n = 0): number {
  let i = -1;
  for (let k = 0; k <= n; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`\`${needle}\` not found`);
  }
  return i + delta;
}

/** The LSP position of an offset. */
export function positionAt(text: string, offset: number): lsp.Position {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: (lines[lines.length - 1] as string).length };
}
