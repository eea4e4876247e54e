import { afterEach, describe, expect, it } from "vitest";
import type * as lsp from "vscode-languageserver";
import { TestClient, VALID_POLICY, offsetOf, positionAt } from "./support/client.js";

let client: TestClient;
afterEach(() => client?.dispose());

const URI = "file:///tmp/lsp-test/policy.maa";

describe("server lifecycle and diagnostics", () => {
  it("advertises incremental sync and the features", async () => {
    client = new TestClient();
    const r = await client.initialize();
    expect(r.serverInfo?.name).toBe("maa-policy-lsp");
    const caps = r.capabilities;
    expect(caps.textDocumentSync).toMatchObject({ change: 2, openClose: true });
    expect(caps.completionProvider).toBeDefined();
    expect(caps.semanticTokensProvider).toMatchObject({ full: { delta: true } });
    expect(caps.renameProvider).toEqual({ prepareProvider: true });
    expect(caps.diagnosticProvider).toBeUndefined();
  });

  it("publishes diagnostics with code, docs link and version, and clears them when fixed", async () => {
    client = new TestClient();
    await client.initialize();
    const text = VALID_POLICY.replace("permit()", "premit()");
    await client.open(URI, text);
    const first = await client.waitVersion(URI, 1);
    const d = first.diagnostics.find((x) => x.code === "P1007");
    expect(d).toBeDefined();
    expect(d?.source).toBe("maa-policy");
    expect(d?.codeDescription?.href).toBe("https://github.com/maa-policy/maa-policy-toolchain/blob/main/docs/diagnostics/P1007-unknown-action.md");
    expect(d?.range.start).toEqual(positionAt(text, offsetOf(text, "premit")));
    // Incremental edit: fix the typo.
    const at = positionAt(text, offsetOf(text, "premit"));
    await client.change(URI, 2, [{ range: { start: at, end: { line: at.line, character: at.character + 6 } }, text: "permit" }]);
    const second = await client.waitVersion(URI, 2);
    expect(second.diagnostics.filter((x) => x.severity === 1)).toEqual([]);
  });

  it("serves pull diagnostics when the client supports them", async () => {
    client = new TestClient();
    const r = await client.initialize({ textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { configuration: true } });
    expect(r.capabilities.diagnosticProvider).toBeDefined();
    await client.open(URI, "version=1.2;\nauthorizationrules { => premit(); };\n");
    const report = await client.request<lsp.FullDocumentDiagnosticReport>("textDocument/diagnostic", { textDocument: { uri: URI } });
    expect(report.kind).toBe("full");
    expect(report.items.map((i) => i.code)).toContain("P1007");
    expect(client.diagnostics.get(URI)).toBeUndefined();
  });

  it("clears diagnostics on close and answers requests for closed documents with empty results", async () => {
    client = new TestClient();
    await client.initialize();
    await client.open(URI, "version=1.2;\nauthorizationrules { => premit(); };\n");
    await client.waitVersion(URI, 1);
    await client.close(URI);
    await client.waitDiagnostics(URI, (p) => p.diagnostics.length === 0);
    expect(await client.request("textDocument/hover", { textDocument: { uri: URI }, position: { line: 0, character: 0 } })).toBeNull();
    expect(await client.request("textDocument/documentSymbol", { textDocument: { uri: URI } })).toEqual([]);
    expect(await client.request("textDocument/completion", { textDocument: { uri: URI }, position: { line: 0, character: 0 } })).toBeNull();
  });

  it("answers malformed requests with InvalidParams and unknown methods with MethodNotFound", async () => {
    client = new TestClient();
    await client.initialize();
    await client.open(URI, VALID_POLICY);
    await expect(client.request("textDocument/hover", {})).rejects.toMatchObject({ code: -32602 });
    await expect(client.request("textDocument/hover", { textDocument: { uri: URI }, position: { line: "x" } })).rejects.toMatchObject({ code: -32602 });
    await expect(client.request("maa-policy/nonsense", {})).rejects.toMatchObject({ code: -32601 });
    await expect(client.request("maa-policy/hash", { uri: 42 })).rejects.toMatchObject({ code: -32602 });
    // The server still works afterwards.
    await client.waitVersion(URI, 1);
    const hover = await client.request<lsp.Hover>("textDocument/hover", { textDocument: { uri: URI }, position: positionAt(VALID_POLICY, offsetOf(VALID_POLICY, "permit")) });
    expect(JSON.stringify(hover.contents)).toContain("permit");
  });

  it("refuses requests after shutdown", async () => {
    client = new TestClient();
    await client.initialize();
    await client.open(URI, VALID_POLICY);
    expect(await client.request("shutdown", null)).toBeNull();
    await expect(client.request("textDocument/documentSymbol", { textDocument: { uri: URI } })).rejects.toMatchObject({ code: -32600 });
  });

  it("logs an exception in a handler and answers with the empty result", async () => {
    client = new TestClient();
    await client.initialize();
    await client.open(URI, VALID_POLICY);
    // A selection range request whose positions are not positions makes the feature throw.
    const r = await client.request("textDocument/selectionRange", { textDocument: { uri: URI }, positions: [null] });
    expect(r).toEqual([]);
    expect(client.logs.some((l) => l.startsWith("selectionRange failed"))).toBe(true);
  });

  it("falls back to the main thread when the analysis worker cannot run", async () => {
    client = new TestClient({ workerScript: new URL("data:text/javascript,process.exit(3)"), workerThreshold: 0 });
    await client.initialize();
    const text = VALID_POLICY.replace("permit()", "premit()");
    await client.open(URI, text);
    const d = await client.waitVersion(URI, 1);
    expect(d.diagnostics.map((x) => x.code)).toContain("P1007");
    const symbols = await client.request<lsp.DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri: URI } });
    expect(symbols.map((x) => x.name)).toContain("authorizationrules");
    expect(client.logs.some((l) => l.includes("analysing on the main thread"))).toBe(true);
  });

  it("finishes a request in flight when shutdown arrives, then refuses new ones", async () => {
    client = new TestClient();
    await client.initialize();
    await client.open(URI, VALID_POLICY);
    // The first request waits for the client's configuration answer while shutdown is sent.
    const symbols = client.request<lsp.DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri: URI } });
    const shutdown = client.request("shutdown", null);
    expect((await symbols).map((x) => x.name)).toEqual(["version 1.2", "authorizationrules", "issuancerules"]);
    expect(await shutdown).toBeNull();
    await expect(client.request("textDocument/hover", { textDocument: { uri: URI }, position: { line: 0, character: 0 } })).rejects.toMatchObject({ code: -32600 });
  });
});
