/**
 * The built extension: `scripts/build.mjs` (run once here, with its type check, so that the test
 * works on a clean clone after `npm ci`), the bundled server started the way the extension starts
 * it (node IPC), and the .vsix that `vsce package --no-dependencies` makes of the build.
 */
import { execFile, fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { compile, evalResultToJson, evaluate, parseClaimsInput, policyHash, unpackPolicy } from "@maa-policy/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IPCMessageReader, IPCMessageWriter, createMessageConnection, type MessageConnection } from "vscode-jsonrpc/node.js";
import { readZip, type ZipEntry } from "./support/zip.js";

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROOT = path.resolve(PKG, "../..");
const SERVER = path.join(PKG, "dist", "server.cjs");
const run = promisify(execFile);
const manifest = JSON.parse(readFileSync(path.join(PKG, "package.json"), "utf8")) as { version: string; contributes: unknown };

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

async function node(args: string[], cwd: string): Promise<void> {
  try {
    await run(process.execPath, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${args.join(" ")} failed: ${err.message}\n${err.stdout ?? ""}${err.stderr ?? ""}`);
  }
}

beforeAll(async () => {
  await node([path.join(PKG, "scripts", "build.mjs")], ROOT);
}, 180_000);

describe("build", () => {
  it("bundles the client and the server, and copies the grammar and language configuration", () => {
    for (const f of ["dist/extension.cjs", "dist/server.cjs"]) expect(statSync(path.join(PKG, f)).size, f).toBeGreaterThan(1000);
    expect(readFileSync(path.join(PKG, "syntaxes", "maa-policy.tmLanguage.json"), "utf8")).toBe(
      readFileSync(path.join(ROOT, "grammar", "maa-policy.tmLanguage.json"), "utf8"),
    );
    expect(readFileSync(path.join(PKG, "language-configuration.json"), "utf8")).toBe(
      readFileSync(path.join(ROOT, "grammar", "language-configuration.json"), "utf8"),
    );
  });

  it("keeps the language out of the client bundle: it requires only vscode and Node built-ins", () => {
    const client = readFileSync(path.join(PKG, "dist", "extension.cjs"), "utf8");
    const required = new Set([...client.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
    const builtins = new Set(createRequire(import.meta.url)("node:module").builtinModules as string[]);
    const foreign = [...required].filter((r) => r !== "vscode" && !builtins.has((r ?? "").replace(/^node:/, "")));
    expect(foreign).toEqual([]);
    expect(required.has("vscode")).toBe(true);
    for (const marker of ["chevrotain", "AttestationPolicy", "JsonToClaimValue"]) expect(client.includes(marker), marker).toBe(false);
  });
});

describe("bundled server over node IPC, as the extension starts it", () => {
  let child: ChildProcess | undefined;
  let conn: MessageConnection | undefined;
  const logs: { type: number; message: string }[] = [];
  const published = new Map<string, ((p: { uri: string; diagnostics: unknown[] }) => void)[]>();
  const seen = new Map<string, { uri: string; diagnostics: unknown[] }>();

  function diagnosticsFor(uri: string): Promise<{ uri: string; diagnostics: unknown[] }> {
    const s = seen.get(uri);
    if (s) return Promise.resolve(s);
    return withTimeout(new Promise((resolve) => published.set(uri, [...(published.get(uri) ?? []), resolve])), 20_000, `diagnostics of ${uri}`);
  }

  afterAll(() => {
    conn?.dispose();
    if (child && child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  });

  it("answers initialize, serves the custom requests, analyses a large document in its worker, and exits cleanly", async () => {
    // vscode-languageclient's TransportKind.ipc: fork(module, [...args, "--node-ipc", "--clientProcessId=<pid>"]).
    child = fork(SERVER, ["--node-ipc", `--clientProcessId=${process.pid}`], { stdio: ["pipe", "pipe", "pipe", "ipc"], execArgv: [] });
    const exited = new Promise<number | null>((resolve) => child?.on("exit", (code) => resolve(code)));
    const stderr: string[] = [];
    child.stderr?.on("data", (b: Buffer) => stderr.push(b.toString()));
    conn = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    conn.onNotification("window/logMessage", (p: { type: number; message: string }) => logs.push(p));
    conn.onNotification("textDocument/publishDiagnostics", (p: { uri: string; diagnostics: unknown[] }) => {
      seen.set(p.uri, p);
      for (const resolve of published.get(p.uri) ?? []) resolve(p);
      published.delete(p.uri);
    });
    conn.onRequest("workspace/configuration", (p: { items: unknown[] }) => p.items.map(() => ({})));
    conn.onRequest("client/registerCapability", () => null);
    conn.listen();

    const init = await withTimeout(
      conn.sendRequest<{ serverInfo?: { name: string }; capabilities: Record<string, unknown> }>("initialize", {
        processId: process.pid,
        clientInfo: { name: "fake VS Code" },
        rootUri: null,
        capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: {} } },
      }),
      20_000,
      "initialize",
    );
    expect(init.serverInfo?.name).toBe("maa-policy-lsp");
    for (const cap of ["completionProvider", "hoverProvider", "codeLensProvider", "semanticTokensProvider"]) expect(init.capabilities[cap], cap).toBeTruthy();
    await conn.sendNotification("initialized", {});

    const policyPath = path.join(ROOT, "examples", "sgx.policy");
    const claimsPath = path.join(ROOT, "examples", "sgx.claims.json");
    const text = readFileSync(policyPath, "utf8");
    const uri = pathToFileURL(policyPath).href;
    await conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "maa-policy", version: 1, text } });
    expect((await diagnosticsFor(uri)).diagnostics).toEqual([]);

    // The custom requests the commands send, answered as the core library answers.
    const hash = await withTimeout(conn.sendRequest<{ policyHash: string }>("maa-policy/hash", { uri }), 20_000, "maa-policy/hash");
    expect(hash).toEqual({ policyHash: policyHash(text) });
    const evaluation = await withTimeout(conn.sendRequest<{ decision: string }>("maa-policy/evaluate", { uri, claimsPath }), 20_000, "maa-policy/evaluate");
    const compiled = compile(text);
    const input = parseClaimsInput(readFileSync(claimsPath, "utf8"), claimsPath);
    expect(compiled.policy).toBeDefined();
    expect(evaluation).toEqual(evalResultToJson(evaluate(compiled.policy!, input.claims, { trace: "full" }), text));
    expect(evaluation.decision).toBe("permit");
    // Evidence works from the bundle too (@peculiar/x509 and its reflect-metadata polyfill, WebCrypto).
    const fromEvidence = await withTimeout(
      conn.sendRequest<{ decision: string; evidence: { verified: boolean }; attestationToken: Record<string, unknown> | null }>("maa-policy/evaluate", {
        uri,
        claimsPath: path.join(ROOT, "examples", "evidence", "restspec-2020.sgx-quote.bin"),
        evidence: { type: "SgxEnclave", runtimeDataPath: "evidence/restspec-2020.runtime-data.bin", at: "2020-09-29T17:49:05Z" },
      }),
      20_000,
      "maa-policy/evaluate (evidence)",
    );
    expect(fromEvidence.evidence.verified).toBe(true);
    expect(fromEvidence.decision).toBe("permit");
    expect(fromEvidence.attestationToken?.["x-ms-sgx-product-id"]).toBe(4639);
    const packed = await withTimeout(conn.sendRequest<{ token: string; warnings: string[] }>("maa-policy/pack", { uri }), 20_000, "maa-policy/pack");
    expect(packed.token.endsWith(".")).toBe(true);
    const unpacked = unpackPolicy(packed.token) as { text?: string };
    expect(unpacked.text).toBe(text);

    // A large document goes to the analysis worker thread, which must start from the bundle too.
    const rules = Array.from({ length: 2600 }, (_, i) => `    c:[type=="x-ms-sgx-svn", value>=${i}] => issue(type="svn-at-least-${i}", value=c.value);`);
    const large = `version=1.2;\nauthorizationrules\n{\n    => permit();\n};\nissuancerules\n{\n${rules.join("\n")}\n};\n`;
    expect(large.length).toBeGreaterThan(200_000);
    const largeUri = "untitled:large-policy";
    await conn.sendNotification("textDocument/didOpen", { textDocument: { uri: largeUri, languageId: "maa-policy", version: 1, text: large } });
    await diagnosticsFor(largeUri);
    expect(logs.filter((l) => /worker/i.test(l.message))).toEqual([]);

    await withTimeout(conn.sendRequest("shutdown"), 20_000, "shutdown");
    await conn.sendNotification("exit");
    expect(await withTimeout(exited, 20_000, "the server to exit")).toBe(0);
    expect(logs.filter((l) => l.type === 1)).toEqual([]);
    expect(stderr.join("")).toBe("");
  });
});

describe(".vsix", () => {
  let dir: string;
  let entries: ZipEntry[];
  let vsixSize: number;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "maa-policy-vsix-"));
    const out = path.join(dir, `maa-policy-${manifest.version}.vsix`);
    const require = createRequire(import.meta.url);
    const vsceDir = path.dirname(require.resolve("@vscode/vsce/package.json"));
    const vsceBin = (JSON.parse(readFileSync(path.join(vsceDir, "package.json"), "utf8")) as { bin: Record<string, string> }).bin["vsce"] as string;
    // The package script: the build above, then vsce without dependency detection (no npm, no network).
    await node([path.join(vsceDir, vsceBin), "package", "--no-dependencies", "--out", out], PKG);
    const data = readFileSync(out);
    vsixSize = data.length;
    entries = readZip(data);
  }, 180_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const entry = (name: string) => {
    const e = entries.find((x) => x.name === name);
    if (!e) throw new Error(`${name} is not in the .vsix: ${entries.map((x) => x.name).join(", ")}`);
    return e;
  };

  it("holds the manifest, the bundled client and server, the grammar, snippets and marketplace files", () => {
    expect(entries.map((e) => e.name).sort()).toEqual(
      [
        "[Content_Types].xml",
        "extension.vsixmanifest",
        "extension/LICENSE.txt",
        "extension/changelog.md",
        "extension/dist/extension.cjs",
        "extension/dist/server.cjs",
        "extension/images/icon.png",
        "extension/language-configuration.json",
        "extension/package.json",
        "extension/readme.md",
        "extension/snippets/maa-policy.json",
        "extension/syntaxes/maa-policy.tmLanguage.json",
      ].sort(),
    );
    const packaged = JSON.parse(entry("extension/package.json").read().toString("utf8")) as { contributes: unknown; version: string };
    expect(packaged.contributes).toEqual(manifest.contributes);
    expect(entry("extension/dist/server.cjs").read().equals(readFileSync(SERVER))).toBe(true);
    expect(entry("extension/syntaxes/maa-policy.tmLanguage.json").read().toString("utf8")).toBe(
      readFileSync(path.join(ROOT, "grammar", "maa-policy.tmLanguage.json"), "utf8"),
    );
    expect(entry("extension.vsixmanifest").read().toString("utf8")).toContain(`Version="${manifest.version}"`);
  });

  it("has no node_modules and stays under 2 MB", () => {
    expect(entries.filter((e) => e.name.includes("node_modules"))).toEqual([]);
    expect(vsixSize).toBeLessThan(2 * 1024 * 1024);
    expect(entries.reduce((n, e) => n + e.size, 0)).toBeLessThan(2 * 1024 * 1024);
  });
});
