/**
 * Every feature through the protocol, in-process over PassThrough streams: the handlers are
 * wired, their parameters converted, and their results well-formed.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { policyHash } from "@maa-policy/core";
import { afterEach, describe, expect, it } from "vitest";
import type * as lsp from "vscode-languageserver";
import { TestClient, VALID_POLICY, offsetOf, positionAt } from "./support/client.js";

let client: TestClient;
afterEach(() => client?.dispose());

const dir = mkdtempSync(join(tmpdir(), "maa-lsp-proto-"));
const POLICY_PATH = join(dir, "sgx.maa");
const URI = pathToFileURL(POLICY_PATH).href;
const TEXT = VALID_POLICY.replace("issue(type=\"signer\", value=c.value)", 'issue(type="signer", value=AppendString(c.value, "x"))');
writeFileSync(POLICY_PATH, TEXT);
writeFileSync(join(dir, "sgx.claims.json"), JSON.stringify([{ type: "x-ms-sgx-is-debuggable", value: false }, { type: "x-ms-sgx-mrsigner", value: "abc" }]));

const td = { uri: URI };
const at = (needle: string, delta = 0, n = 0) => positionAt(TEXT, offsetOf(TEXT, needle, delta, n));

async function ready(): Promise<void> {
  client = new TestClient();
  await client.initialize({
    textDocument: { completion: { completionItem: { snippetSupport: true } } },
    workspace: { configuration: true, codeLens: { refreshSupport: true } },
  });
  await client.open(URI, TEXT);
  await client.waitVersion(URI, 1);
}

describe("features over the protocol", () => {
  it("navigation: definition, references, highlight, prepareRename", async () => {
    await ready();
    const use = at("c.value", 0, 0);
    const def = await client.request<lsp.Location[]>("textDocument/definition", { textDocument: td, position: use });
    expect(def[0]?.range.start).toEqual(at('c:[type=="x-ms-sgx-mrsigner"]'));
    const refs = await client.request<lsp.Location[]>("textDocument/references", { textDocument: td, position: use, context: { includeDeclaration: true } });
    expect(refs).toHaveLength(2);
    const hl = await client.request<lsp.DocumentHighlight[]>("textDocument/documentHighlight", { textDocument: td, position: use });
    expect(hl).toHaveLength(2);
    const prep = await client.request<{ placeholder: string }>("textDocument/prepareRename", { textDocument: td, position: use });
    expect(prep.placeholder).toBe("c");
  });

  it("signature help, inlay hints, completion", async () => {
    await ready();
    const sig = await client.request<lsp.SignatureHelp>("textDocument/signatureHelp", { textDocument: td, position: at('"x"))') });
    expect(sig.signatures[0]?.label).toContain("AppendString");
    expect(sig.activeParameter).toBe(1);
    const hints = await client.request<lsp.InlayHint[]>("textDocument/inlayHint", { textDocument: td, range: { start: { line: 0, character: 0 }, end: positionAt(TEXT, TEXT.length) } });
    expect(hints.map((h) => h.label)).toEqual(expect.arrayContaining(["left:", "right:", ": String"]));
    const list = await client.request<lsp.CompletionList>("textDocument/completion", { textDocument: td, position: at("permit", 0) });
    expect(list.items.map((i) => i.label)).toContain("permit");
  });

  it("outline, folding, selection and semantic tokens (full, then delta)", async () => {
    await ready();
    const symbols = await client.request<lsp.DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: td });
    expect(symbols.map((s) => s.name)).toEqual(["version 1.2", "authorizationrules", "issuancerules"]);
    const folds = await client.request<lsp.FoldingRange[]>("textDocument/foldingRange", { textDocument: td });
    expect(folds.length).toBeGreaterThan(0);
    const sel = await client.request<lsp.SelectionRange[]>("textDocument/selectionRange", { textDocument: td, positions: [at("permit")] });
    expect(sel[0]?.parent).toBeDefined();
    const full = await client.request<lsp.SemanticTokens>("textDocument/semanticTokens/full", { textDocument: td });
    expect(full.data.length % 5).toBe(0);
    expect(full.resultId).toBeDefined();
    await client.change(URI, 2, [{ range: { start: at("permit"), end: at("permit") }, text: "" }]);
    const delta = await client.request<lsp.SemanticTokensDelta>("textDocument/semanticTokens/full/delta", { textDocument: td, previousResultId: full.resultId });
    expect(delta.edits).toBeDefined();
  });

  it("code lens with the dry run's decision, and the custom requests", async () => {
    await ready();
    const lenses = await client.request<lsp.CodeLens[]>("textDocument/codeLens", { textDocument: td });
    expect(lenses).toHaveLength(3);
    expect(lenses[2]?.command?.title).toBe("Compare with…");
    expect(lenses[0]?.command?.title).toBe("Evaluate with sgx.claims.json: permit (1 claim issued)");
    const result = await client.request<{ decision: string; outgoing: unknown[]; trace?: unknown[] }>("maa-policy/evaluate", { uri: URI });
    expect(result.decision).toBe("permit");
    expect(result.trace?.length).toBeGreaterThan(0);
    await expect(client.request("maa-policy/evaluate", { uri: URI, claimsPath: "nope.json" })).rejects.toThrow(/no such file/);
    const packed = await client.request<{ token: string; warnings: string[] }>("maa-policy/pack", { uri: URI });
    expect(packed.token.split(".")).toHaveLength(3);
    expect(await client.request("maa-policy/hash", { uri: URI })).toEqual({ policyHash: policyHash(TEXT) });
    // A closed document is read from disk.
    await client.close(URI);
    expect(await client.request("maa-policy/hash", { uri: URI })).toEqual({ policyHash: policyHash(TEXT) });
    await expect(client.request("maa-policy/hash", { uri: "untitled:Untitled-1" })).rejects.toMatchObject({ code: -32602 });
  });

  it("a lens that cannot evaluate runs maa-policy.showFirstError, which shows the first error (window/showDocument)", async () => {
    client = new TestClient();
    const shown: unknown[] = [];
    client.connection.onRequest("window/showDocument", (p: unknown) => {
      shown.push(p);
      return { success: true };
    });
    const init = await client.initialize({ workspace: { configuration: true }, window: { showDocument: { support: true } } });
    expect(init.capabilities.executeCommandProvider?.commands).toEqual(["maa-policy.showFirstError"]);
    const broken = TEXT.replace("permit()", "premit()");
    await client.open(URI, broken);
    await client.waitVersion(URI, 1);
    const lenses = await client.request<lsp.CodeLens[]>("textDocument/codeLens", { textDocument: td });
    const command = lenses[0]?.command;
    expect(command?.title).toMatch(/cannot run \(the policy has errors and cannot be evaluated: P\d{4} /);
    expect(command?.command).toBe("maa-policy.showFirstError");
    expect(await client.request("workspace/executeCommand", { command: command?.command, arguments: command?.arguments })).toBeNull();
    const premit = positionAt(broken, broken.indexOf("premit"));
    expect(shown).toEqual([{ uri: URI, selection: { start: premit, end: { line: premit.line, character: premit.character + "premit".length } }, takeFocus: true }]);
    // A malformed call is refused with InvalidParams, and the server keeps serving.
    await expect(client.request("workspace/executeCommand", { command: "maa-policy.showFirstError", arguments: [{ uri: 3 }] })).rejects.toMatchObject({ code: -32602 });
    await expect(client.request("workspace/executeCommand", { command: "other.command" })).rejects.toMatchObject({ code: -32602 });
    expect(await client.request("maa-policy/hash", { uri: URI })).toEqual({ policyHash: policyHash(broken) });
  });

  it("maa-policy.showFirstError names the place when the client cannot show documents", async () => {
    client = new TestClient();
    const messages: { type: number; message: string }[] = [];
    client.connection.onNotification("window/showMessage", (p: { type: number; message: string }) => messages.push(p));
    await client.initialize({ workspace: { configuration: true } });
    const range = { start: { line: 3, character: 56 }, end: { line: 3, character: 62 } };
    expect(await client.request("workspace/executeCommand", { command: "maa-policy.showFirstError", arguments: [{ uri: URI, range }] })).toBeNull();
    await expect.poll(() => messages.length).toBe(1);
    expect(messages[0]?.message).toBe(`the first error is at ${POLICY_PATH}:4:57`);
  });

  it("formatting and range formatting", async () => {
    await ready();
    const messy = "version=1.2;\nauthorizationrules{\n=>permit();\n};\n";
    await client.change(URI, 2, [{ range: { start: { line: 0, character: 0 }, end: positionAt(TEXT, TEXT.length) }, text: messy }]);
    const edits = await client.request<lsp.TextEdit[]>("textDocument/formatting", { textDocument: td, options: { tabSize: 4, insertSpaces: true } });
    expect(edits).toHaveLength(1);
    const ranged = await client.request<lsp.TextEdit[]>("textDocument/rangeFormatting", {
      textDocument: td,
      range: { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } },
      options: { tabSize: 4, insertSpaces: true },
    });
    expect(ranged.map((e) => e.newText).join("")).toContain("=> permit();");
  });

  it("applies the client's settings and re-analyses when they change", async () => {
    client = new TestClient();
    client.settings = { rules: { P2012: "off" } };
    await client.initialize();
    const text = 'version=1.2;\nauthorizationrules\n{\n    c:[type=="x-ms-sgx-svn", value>=2] => permit();\n};\n';
    await client.open(URI, text);
    const first = await client.waitVersion(URI, 1);
    expect(first.diagnostics.map((d) => d.code)).not.toContain("P2012");
    client.settings = { rules: { P2012: "warning" } };
    const before = client.diagnostics.get(URI)?.length ?? 0;
    await client.notify("workspace/didChangeConfiguration", { settings: { "maa-policy": client.settings } });
    const again = await client.waitDiagnostics(URI, (p) => (client.diagnostics.get(URI)?.indexOf(p) ?? 0) >= before);
    const unused = again.diagnostics.find((d) => d.code === "P2012");
    expect(unused?.severity).toBe(2);
    expect(unused?.tags).toEqual([1]);
  });

  it("drops stale work: rapid edits publish increasing versions, ending with the last", async () => {
    client = new TestClient({ debounceMs: 200 });
    await client.initialize();
    await client.open(URI, TEXT);
    for (let v = 2; v <= 8; v++) await client.change(URI, v, [{ range: { start: at("permit"), end: at("permit") }, text: v % 2 === 0 ? " " : "" }]);
    await client.waitVersion(URI, 8);
    const versions = (client.diagnostics.get(URI) ?? []).map((p) => p.version ?? -1);
    expect(versions[versions.length - 1]).toBe(8);
    expect([...versions].sort((x, y) => x - y)).toEqual(versions);
    expect(versions.length).toBeLessThan(8);
  });
});
