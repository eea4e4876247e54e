/**
 * End to end over real pipes: spawns the built server (`node packages/lsp-server/dist/main.js
 * --stdio`) and talks JSON-RPC to it with vscode-jsonrpc. Build first (`npx tsc -b`); `npm test`
 * does.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node.js";
import type * as lsp from "vscode-languageserver";

const MAIN = fileURLToPath(new URL("../../packages/lsp-server/dist/main.js", import.meta.url));
const URI = "file:///tmp/maa-lsp-stdio/policy.maa";

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

interface Session {
  child: ChildProcess;
  conn: MessageConnection;
  stderr: string[];
  readerErrors: unknown[];
  diagnostics: lsp.PublishDiagnosticsParams[];
  exited: Promise<number | null>;
  waitDiagnostics(version: number): Promise<lsp.PublishDiagnosticsParams>;
  request<R>(method: string, params: unknown): Promise<R>;
}

let session: Session | undefined;

afterEach(() => {
  if (session) {
    session.conn.dispose();
    if (session.child.exitCode === null && session.child.pid !== undefined) {
      try {
        process.kill(session.child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
  session = undefined;
});

function start(): Session {
  const child = spawn(process.execPath, [MAIN, "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
  const stderr: string[] = [];
  child.stderr?.on("data", (b: Buffer) => stderr.push(b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const reader = new StreamMessageReader(child.stdout!);
  const readerErrors: unknown[] = [];
  reader.onError((e) => readerErrors.push(e));
  const conn = createMessageConnection(reader, new StreamMessageWriter(child.stdin!));
  const diagnostics: lsp.PublishDiagnosticsParams[] = [];
  const waiters: { version: number; resolve: (p: lsp.PublishDiagnosticsParams) => void }[] = [];
  conn.onNotification("textDocument/publishDiagnostics", (p: lsp.PublishDiagnosticsParams) => {
    diagnostics.push(p);
    for (const w of [...waiters]) if (p.version === w.version) w.resolve(p);
  });
  conn.onRequest("workspace/configuration", (p: { items: unknown[] }) => p.items.map(() => ({ attestationType: "SgxEnclave" })));
  conn.onRequest("client/registerCapability", () => null);
  conn.listen();
  const s: Session = {
    child,
    conn,
    stderr,
    readerErrors,
    diagnostics,
    exited,
    waitDiagnostics(version) {
      const seen = diagnostics.find((p) => p.version === version);
      if (seen) return Promise.resolve(seen);
      return withTimeout(new Promise((resolve) => waiters.push({ version, resolve })), 15_000, `diagnostics of version ${version}`);
    },
    request<R>(method: string, params: unknown) {
      return withTimeout(conn.sendRequest(method, params) as Promise<R>, 15_000, method);
    },
  };
  session = s;
  return s;
}

const BROKEN = `version=1.2;
authorizationrules
{
    c:[type=="x-ms-sgx-is-debuggable", value==false] => premit();
};
issuancerules
{
    c:[type=="x-ms-sgx-mrsigner"] => issue(type="signer", value=c.value);
};
`;

describe("maa-policy-lsp --stdio", () => {
  it("serves a whole editing session and exits with code 0", async () => {
    const s = start();
    const init = await s.request<lsp.InitializeResult>("initialize", {
      processId: process.pid,
      rootUri: null,
      capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } }, workspace: { configuration: true } },
    });
    expect(init.capabilities.textDocumentSync).toMatchObject({ change: 2 });
    await s.conn.sendNotification("initialized", {});

    // Open a document with an error and receive its diagnostics.
    await s.conn.sendNotification("textDocument/didOpen", { textDocument: { uri: URI, languageId: "maa-policy", version: 1, text: BROKEN } });
    const d1 = await s.waitDiagnostics(1);
    const unknown = d1.diagnostics.find((d) => d.code === "P1007");
    expect(unknown?.range).toEqual({ start: { line: 3, character: 56 }, end: { line: 3, character: 62 } });
    expect(unknown?.codeDescription?.href).toMatch(/docs\/diagnostics\/P1007-unknown-action\.md$/);

    // Code action: the quick fix for the typo.
    const actions = await s.request<lsp.CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri: URI },
      range: unknown!.range,
      context: { diagnostics: [unknown], only: ["quickfix"] },
    });
    const fix = actions.find((a) => a.diagnostics?.[0]?.code === "P1007");
    expect(fix?.edit?.changes?.[URI]?.[0]?.newText).toBe("permit");

    // Incremental edit: apply the fix; the error goes away.
    await s.conn.sendNotification("textDocument/didChange", {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ range: unknown!.range, text: "permit" }],
    });
    const d2 = await s.waitDiagnostics(2);
    expect(d2.diagnostics.filter((d) => d.severity === 1)).toEqual([]);

    // Type a new rule at the end of the authorization section, then complete a claim type.
    await s.conn.sendNotification("textDocument/didChange", {
      textDocument: { uri: URI, version: 3 },
      contentChanges: [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: '    [type=="x-ms-sgx-\n' }],
    });
    const completion = await s.request<lsp.CompletionList>("textDocument/completion", { textDocument: { uri: URI }, position: { line: 4, character: 21 } });
    const svn = completion.items.find((i) => i.label === "x-ms-sgx-svn");
    expect(svn?.detail).toContain("Integer");
    expect((svn?.textEdit as lsp.TextEdit).newText).toBe('x-ms-sgx-svn"');
    const d3 = await s.waitDiagnostics(3);
    expect(d3.diagnostics.some((d) => d.code === "P1011")).toBe(true);

    // Hover a claim type.
    const hover = await s.request<lsp.Hover>("textDocument/hover", { textDocument: { uri: URI }, position: { line: 3, character: 20 } });
    expect(JSON.stringify(hover.contents)).toContain("x-ms-sgx-is-debuggable");

    // Rename an identifier.
    const edit = await s.request<lsp.WorkspaceEdit>("textDocument/rename", { textDocument: { uri: URI }, position: { line: 8, character: 4 }, newName: "signer" });
    expect(edit.changes?.[URI]?.map((e) => e.newText)).toEqual(["signer", "signer"]);
    await expect(s.request("textDocument/rename", { textDocument: { uri: URI }, position: { line: 8, character: 4 }, newName: "not valid" })).rejects.toMatchObject({
      code: -32602,
    });

    // Format: the new rule is broken (unterminated string), so nothing is formatted; close it first.
    expect(await s.request("textDocument/formatting", { textDocument: { uri: URI }, options: { tabSize: 4, insertSpaces: true } })).toEqual([]);
    await s.conn.sendNotification("textDocument/didChange", {
      textDocument: { uri: URI, version: 4 },
      contentChanges: [{ range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }, text: '  [type=="x-ms-sgx-svn",value>=1]=>permit();\n' }],
    });
    const formatting = await s.request<lsp.TextEdit[]>("textDocument/formatting", { textDocument: { uri: URI }, options: { tabSize: 4, insertSpaces: true } });
    expect(formatting.map((e) => e.newText).join("")).toContain('    [type=="x-ms-sgx-svn", value>=1] => permit();');

    // Custom request.
    const hash = await s.request<{ policyHash: string }>("maa-policy/hash", { uri: URI });
    expect(hash.policyHash).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // A feature that throws (positions that are not positions) is logged and answered with its empty result.
    expect(await s.request("textDocument/selectionRange", { textDocument: { uri: URI }, positions: [null] })).toEqual([]);

    // An unknown method is answered with MethodNotFound; the server goes on.
    await expect(s.request("maa-policy/unknown", {})).rejects.toMatchObject({ code: -32601 });

    // Shutdown and exit.
    expect(await s.request("shutdown", null)).toBeNull();
    await s.conn.sendNotification("exit");
    expect(await withTimeout(s.exited, 10_000, "exit")).toBe(0);
    expect(s.readerErrors).toEqual([]);
  });

  it("analyses a large document off the main thread and answers completion meanwhile", async () => {
    const s = start();
    await s.request("initialize", { processId: process.pid, rootUri: null, capabilities: {} });
    await s.conn.sendNotification("initialized", {});
    const rules = Array.from({ length: 3000 }, (_, i) => `    c${i}:[type=="x-ms-sgx-svn", value>=${i}] => issue(type="svn${i}", value=c${i}.value);`).join("\n");
    const text = `version=1.2;\nauthorizationrules\n{\n    => premit();\n};\nissuancerules\n{\n${rules}\n};\n`;
    expect(text.length).toBeGreaterThan(200_000);
    await s.conn.sendNotification("textDocument/didOpen", { textDocument: { uri: URI, languageId: "maa-policy", version: 1, text } });
    await s.conn.sendNotification("textDocument/didChange", {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ range: { start: { line: 3, character: 4 }, end: { line: 3, character: 4 } }, text: "[type==" }],
    });
    const completion = await s.request<lsp.CompletionList>("textDocument/completion", { textDocument: { uri: URI }, position: { line: 3, character: 11 } });
    expect(completion.items.map((i) => i.label)).toContain("x-ms-sgx-svn");
    const d = await s.waitDiagnostics(2);
    expect(d.diagnostics.some((x) => x.code === "P1007")).toBe(true);
    // Version 1 was superseded before its analysis was published, or published before version 2: never after.
    const order = s.diagnostics.map((p) => p.version);
    expect(order.indexOf(1) === -1 || order.indexOf(1) < order.indexOf(2)).toBe(true);
    expect(await s.request("shutdown", null)).toBeNull();
    await s.conn.sendNotification("exit");
    expect(await withTimeout(s.exited, 10_000, "exit")).toBe(0);
  });

  it("answers malformed messages with JSON-RPC errors and keeps serving", async () => {
    const child = spawn(process.execPath, [MAIN, "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
    const reader = new StreamMessageReader(child.stdout);
    const received: Record<string, unknown>[] = [];
    reader.listen((m) => received.push(m as unknown as Record<string, unknown>));
    session = { child, conn: createMessageConnection(reader, new StreamMessageWriter(child.stdin)), exited: new Promise(() => undefined) } as unknown as Session;
    const send = (body: string) => child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const until = (test: () => boolean, what: string) =>
      withTimeout(
        new Promise<void>((resolve) => {
          const tick = () => (test() ? resolve() : setTimeout(tick, 10));
          tick();
        }),
        10_000,
        what,
      );
    send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } }));
    await until(() => received.some((m) => m["id"] === 1), "initialize");
    send("{ this is not json");
    await until(() => received.some((m) => (m["error"] as { code?: number } | undefined)?.code === -32700), "parse error");
    send(JSON.stringify({ jsonrpc: "2.0", id: 7 }));
    await until(() => received.some((m) => m["id"] === 7), "invalid request");
    expect((received.find((m) => m["id"] === 7)?.["error"] as { code: number }).code).toBe(-32600);
    send(JSON.stringify({ jsonrpc: "2.0", id: 8, method: "textDocument/hover", params: { textDocument: { uri: URI }, position: { line: 0, character: 0 } } }));
    await until(() => received.some((m) => m["id"] === 8), "hover on a closed document");
    expect(received.find((m) => m["id"] === 8)?.["result"]).toBeNull();
  });

  it("exits with code 1 when told to exit without a shutdown", async () => {
    const s = start();
    await s.request("initialize", { processId: process.pid, rootUri: null, capabilities: {} });
    await s.conn.sendNotification("exit");
    expect(await withTimeout(s.exited, 10_000, "exit")).toBe(1);
  });
});
