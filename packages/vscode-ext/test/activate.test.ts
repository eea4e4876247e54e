/**
 * `activate()` against a fake `vscode` and a fake language client (test/support/fake-vscode.ts):
 * every contributed command is registered, the client starts the bundled server over IPC, and
 * each command sends the right custom request and shows its answer.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("vscode", async () => (await import("./support/fake-vscode.js")).vscodeModule);
vi.mock("vscode-languageclient/node", async () => (await import("./support/fake-vscode.js")).languageClientModule);

const { activate, deactivate } = await import("../src/extension.js");
const { fake, Range, Uri } = await import("./support/fake-vscode.js");

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(path.join(PKG, "package.json"), "utf8")) as {
  contributes: { commands: { command: string }[] };
};
const EXT_PATH = "/ext/maa-policy";
const POLICY = Uri.file("/work/policies/sgx.policy");

async function start() {
  const subscriptions: { dispose(): void }[] = [];
  await activate({ subscriptions, asAbsolutePath: (p: string) => path.posix.join(EXT_PATH, p) } as never);
  return subscriptions;
}

async function run(command: string, ...args: unknown[]): Promise<void> {
  const handler = fake.commands.get(command);
  if (!handler) throw new Error(`${command} is not registered`);
  await handler(...args);
}

const client = () => {
  const c = fake.clients[0];
  if (!c) throw new Error("no language client was created");
  return c;
};

beforeEach(() => {
  fake.reset();
});

afterEach(async () => {
  await deactivate();
});

describe("activate", () => {
  it("registers every contributed command, and only those", async () => {
    const subscriptions = await start();
    expect([...fake.commands.keys()].sort()).toEqual(manifest.contributes.commands.map((c) => c.command).sort());
    // Disposing the subscriptions unregisters them.
    for (const s of subscriptions) s.dispose();
    expect(fake.commands.size).toBe(0);
  });

  it("starts a language client on the bundled server over node IPC, for maa-policy documents", async () => {
    await start();
    expect(fake.clients).toHaveLength(1);
    const c = client();
    expect(c.id).toBe("maa-policy");
    expect(c.started).toBe(true);
    const options = c.serverOptions as { run: { module: string; transport: number }; debug: { module: string; transport: number } };
    expect(options.run).toEqual({ module: `${EXT_PATH}/dist/server.cjs`, transport: 1 });
    expect(options.debug.module).toBe(`${EXT_PATH}/dist/server.cjs`);
    expect(c.clientOptions.documentSelector?.map((s) => s.language)).toEqual(["maa-policy", "maa-policy"]);
    await deactivate();
    expect(c.stopped).toBe(true);
  });
});

describe("commands", () => {
  it("Show Policy Hash asks the server and copies the hash on request", async () => {
    await start();
    fake.activeDocument = { uri: POLICY, languageId: "maa-policy" };
    fake.responses.set("maa-policy/hash", { policyHash: "abc_DEF-123" });
    fake.infoAnswers.push("Copy");
    await run("maa-policy.showHash");
    expect(client().requests).toEqual([{ method: "maa-policy/hash", params: { uri: POLICY.toString() } }]);
    expect(fake.messages).toEqual([{ kind: "info", text: "x-ms-policy-hash: abc_DEF-123", items: ["Copy"] }]);
    expect(fake.clipboard).toBe("abc_DEF-123");
  });

  it("Evaluate uses the code lens's claims file and prints the result", async () => {
    await start();
    fake.responses.set("maa-policy/evaluate", {
      decision: "permit",
      incoming: [],
      outgoing: [{ type: "svn", value: 2, valueType: "Integer", issuer: "AttestationPolicy" }],
      properties: [],
      token: { svn: 2 },
      diagnostics: [],
      trace: [{ section: "authorizationrules", rule: 1, range: { start: { line: 6, character: 4 } }, fired: true, verb: "permit", effect: "permit" }],
    });
    await run("maa-policy.evaluate", { uri: POLICY.toString(), claimsPath: "/work/policies/sgx.claims.json" });
    expect(fake.openDialogs).toEqual([]);
    expect(client().requests).toEqual([
      { method: "maa-policy/evaluate", params: { uri: POLICY.toString(), claimsPath: "/work/policies/sgx.claims.json" } },
    ]);
    // The report opens beside the policy, read-only, with the cursor on its first line: the
    // decision (line 3) is in view, not scrolled past as an output channel would be.
    expect(fake.shownDocuments).toHaveLength(1);
    const shown = fake.shownDocuments[0];
    expect(shown?.uri?.scheme).toBe("maa-policy-evaluation");
    expect(shown?.uri?.path).toBe("/Evaluation of sgx.policy");
    expect(shown?.options).toEqual({ viewColumn: -2, preserveFocus: true, preview: true, selection: new Range(0, 0, 0, 0) });
    const lines = (shown?.text ?? "").split("\n");
    expect(lines[2]).toBe("Decision: PERMIT");
    expect(lines).toContain("  svn = 2  (Integer, AttestationPolicy)");
    expect(lines).toContain("  authorizationrules rule 1 (line 7): fired, permit → permit");
    expect(fake.changedUris).toEqual([]);

    // Evaluating again replaces the text of the same document and tells VS Code it changed.
    fake.responses.set("maa-policy/evaluate", { decision: "deny", incoming: [], outgoing: [], properties: [], token: {}, diagnostics: [], trace: null });
    await run("maa-policy.evaluate", { uri: POLICY.toString(), claimsPath: "/work/policies/sgx.claims.json" });
    expect(fake.changedUris).toEqual([shown?.uri?.toString()]);
    expect(fake.shownDocuments[1]?.uri?.toString()).toBe(shown?.uri?.toString());
    expect(fake.shownDocuments[1]?.text?.split("\n")[2]).toBe("Decision: DENY");
  });

  it("Evaluate asks for a claims file when none is given, and stops when the dialog is cancelled", async () => {
    await start();
    fake.activeDocument = { uri: POLICY, languageId: "maa-policy" };
    fake.openDialogAnswers.push(undefined);
    await run("maa-policy.evaluate");
    expect(fake.openDialogs).toHaveLength(1);
    expect(client().requests).toEqual([]);

    fake.openDialogAnswers.push([Uri.file("/tmp/claims.json")]);
    fake.responses.set("maa-policy/evaluate", { decision: "deny", incoming: [], outgoing: [], properties: [], token: {}, diagnostics: [], trace: null });
    await run("maa-policy.evaluate");
    expect(client().requests).toEqual([{ method: "maa-policy/evaluate", params: { uri: POLICY.toString(), claimsPath: "/tmp/claims.json" } }]);
    expect(fake.shownDocuments.at(-1)?.text).toContain("Decision: DENY");
  });

  it("Compare with… asks for the other policy, sends maa-policy/diff and opens the Markdown report", async () => {
    await start();
    fake.openDialogAnswers.push([Uri.file("/work/policies/old.policy")]);
    fake.responses.set("maa-policy/diff", { report: { status: "different" }, markdown: "### Policy diff: `old.policy` → `sgx.policy`\n" });
    await run("maa-policy.compare", { uri: POLICY.toString() });
    expect(fake.openDialogs).toHaveLength(1);
    expect(client().requests).toEqual([{ method: "maa-policy/diff", params: { uri: POLICY.toString(), against: Uri.file("/work/policies/old.policy").toString() } }]);
    expect(fake.openedDocuments).toEqual([{ content: "### Policy diff: `old.policy` → `sgx.policy`\n", language: "markdown" }]);
    // Cancelled: no request.
    fake.openDialogAnswers.push(undefined);
    await run("maa-policy.compare", { uri: POLICY.toString() });
    expect(client().requests).toHaveLength(1);
  });

  it("Pack as Unsigned JWS puts the token on the clipboard or in a new editor, and shows warnings", async () => {
    await start();
    fake.activeDocument = { uri: POLICY, languageId: "maa-policy" };
    fake.responses.set("maa-policy/pack", { token: "eyJhbGciOiJub25lIn0.eyJ9.", warnings: ["the policy has warnings"] });
    fake.quickPickAnswers.push("Copy to clipboard");
    await run("maa-policy.packUnsigned");
    expect(client().requests).toEqual([{ method: "maa-policy/pack", params: { uri: POLICY.toString() } }]);
    expect(fake.clipboard).toBe("eyJhbGciOiJub25lIn0.eyJ9.");
    expect(fake.messages.filter((m) => m.kind === "warning").map((m) => m.text)).toEqual(["MAA Policy: the policy has warnings"]);

    fake.quickPickAnswers.push("Open in a new editor");
    await run("maa-policy.packUnsigned");
    expect(fake.openedDocuments).toEqual([{ content: "eyJhbGciOiJub25lIn0.eyJ9.", language: "plaintext" }]);
  });

  it("Sign… sends the picked key, certificates and algorithm", async () => {
    await start();
    fake.activeDocument = { uri: POLICY, languageId: "maa-policy" };
    fake.responses.set("maa-policy/pack", { token: "signed.token.sig", warnings: [] });
    fake.openDialogAnswers.push([Uri.file("/keys/signer.key")], [Uri.file("/keys/signer.pem"), Uri.file("/keys/ca.pem")]);
    fake.quickPickAnswers.push("PS256", "Copy to clipboard");
    await run("maa-policy.sign");
    expect(fake.openDialogs.map((d) => d.canSelectMany)).toEqual([false, true]);
    expect(client().requests).toEqual([
      {
        method: "maa-policy/pack",
        params: { uri: POLICY.toString(), keyPath: "/keys/signer.key", certPaths: ["/keys/signer.pem", "/keys/ca.pem"], alg: "PS256" },
      },
    ]);
    expect(fake.clipboard).toBe("signed.token.sig");

    // The default algorithm leaves the choice to the server.
    fake.openDialogAnswers.push([Uri.file("/keys/signer.key")], [Uri.file("/keys/signer.pem")]);
    fake.quickPickAnswers.push("Default (by key type)", undefined);
    await run("maa-policy.sign");
    expect(client().requests[1]?.params).toEqual({ uri: POLICY.toString(), keyPath: "/keys/signer.key", certPaths: ["/keys/signer.pem"] });
  });

  it("Format runs the editor's document formatting (served by the language server)", async () => {
    await start();
    fake.activeDocument = { uri: POLICY, languageId: "maa-policy" };
    await run("maa-policy.format");
    expect(fake.executed).toEqual([{ command: "editor.action.formatDocument", args: [] }]);
  });

  it("reports a missing policy and a failed request to the user", async () => {
    await start();
    fake.activeDocument = { uri: Uri.file("/work/readme.md"), languageId: "markdown" };
    await run("maa-policy.showHash");
    expect(client().requests).toEqual([]);
    expect(fake.messages).toEqual([{ kind: "error", text: "MAA Policy: hash: open a policy file first", items: [] }]);

    fake.messages.length = 0;
    fake.activeDocument = { uri: POLICY, languageId: "maa-policy" };
    fake.responses.set("maa-policy/evaluate", new Error("claims file `/tmp/x.json`: no such file"));
    await run("maa-policy.evaluate", { uri: POLICY.toString(), claimsPath: "/tmp/x.json" });
    expect(fake.messages).toEqual([{ kind: "error", text: "MAA Policy: evaluate: claims file `/tmp/x.json`: no such file", items: [] }]);
  });
});
