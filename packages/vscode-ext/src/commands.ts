/**
 * The extension's commands. Each one asks the language server (custom requests
 * `maa-policy/evaluate`, `maa-policy/pack`, `maa-policy/hash`, `maa-policy/diff`) or VS Code
 * (format) and shows the answer; none holds language logic.
 */
import * as path from "node:path";
import * as vscode from "vscode";
import {
  DIFF_REQUEST,
  EVALUATE_REQUEST,
  HASH_REQUEST,
  PACK_REQUEST,
  type DiffParams,
  type DiffResult,
  type EvaluateResult,
  type HashResult,
  type PackParams,
  type PackResult,
  type RequestSender,
} from "./protocol.js";
import type { EvaluationView } from "./evaluation-view.js";
import { renderEvaluation } from "./render-evaluation.js";

/** The language id. */
export const LANGUAGE_ID = "maa-policy";

/** The command ids, as contributed in package.json. */
export const COMMANDS = {
  evaluate: "maa-policy.evaluate",
  packUnsigned: "maa-policy.packUnsigned",
  sign: "maa-policy.sign",
  showHash: "maa-policy.showHash",
  format: "maa-policy.format",
  compare: "maa-policy.compare",
} as const;

/** The signing algorithms offered by "Sign…" (the first entry lets the server choose by key type). */
export const SIGNING_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"] as const;

/** What a command receives from a code lens (the server's "Evaluate with…" lens). */
interface CommandArgument {
  readonly uri?: string;
  readonly claimsPath?: string;
}

function isCommandArgument(v: unknown): v is CommandArgument {
  return typeof v === "object" && v !== null && !(v instanceof vscode.Uri) && (typeof (v as CommandArgument).uri === "string" || typeof (v as CommandArgument).claimsPath === "string");
}

/** The policy a command works on: the argument's, else the active editor's. */
function policyUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (isCommandArgument(arg) && arg.uri !== undefined) return vscode.Uri.parse(arg.uri);
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.languageId === LANGUAGE_ID) return doc.uri;
  return undefined;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs a command body; reports a missing policy or a failed request to the user. */
async function withPolicy(name: string, arg: unknown, body: (uri: vscode.Uri) => Promise<void>): Promise<void> {
  const uri = policyUri(arg);
  if (!uri) {
    void vscode.window.showErrorMessage(`MAA Policy: ${name}: open a policy file first`);
    return;
  }
  try {
    await body(uri);
  } catch (e) {
    void vscode.window.showErrorMessage(`MAA Policy: ${name}: ${errorText(e)}`);
  }
}

function showWarnings(warnings: readonly string[]): void {
  for (const w of warnings) void vscode.window.showWarningMessage(`MAA Policy: ${w}`);
}

/** Puts a token on the clipboard or in a new editor, as the user chooses. */
async function deliverToken(token: string, what: string): Promise<void> {
  const clipboard = "Copy to clipboard";
  const editor = "Open in a new editor";
  const choice = await vscode.window.showQuickPick([clipboard, editor], { title: `MAA Policy: ${what}`, placeHolder: "Where should the token go?" });
  if (choice === clipboard) {
    await vscode.env.clipboard.writeText(token);
    void vscode.window.showInformationMessage(`MAA Policy: ${what} copied to the clipboard (${token.length} characters)`);
  } else if (choice === editor) {
    const doc = await vscode.workspace.openTextDocument({ content: token, language: "plaintext" });
    await vscode.window.showTextDocument(doc, { preview: false });
  }
}

async function pickFile(title: string, filters: Record<string, string[]>, near: vscode.Uri, many: boolean): Promise<vscode.Uri[] | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title,
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: many,
    filters,
    ...(near.scheme === "file" ? { defaultUri: vscode.Uri.file(path.dirname(near.fsPath)) } : {}),
  });
  return picked && picked.length > 0 ? picked : undefined;
}

/**
 * Registers every command. `client` returns the running language client, or undefined while it
 * is not started; `evaluations` shows the results of "Evaluate…".
 */
export function registerCommands(client: () => RequestSender | undefined, evaluations: EvaluationView): vscode.Disposable[] {
  const server = (): RequestSender => {
    const c = client();
    if (!c) throw new Error("the language server is not running");
    return c;
  };

  const evaluate = (arg?: unknown) =>
    withPolicy("evaluate", arg, async (uri) => {
      let claimsPath = isCommandArgument(arg) ? arg.claimsPath : undefined;
      if (claimsPath === undefined) {
        const picked = await pickFile("Claims file to evaluate the policy against", { "Claims (JSON)": ["json"], "MAA token": ["jwt", "txt"], "All files": ["*"] }, uri, false);
        if (!picked?.[0]) return;
        claimsPath = picked[0].fsPath;
      }
      const result = await server().sendRequest<EvaluateResult>(EVALUATE_REQUEST, { uri: uri.toString(), claimsPath });
      await evaluations.show(uri, renderEvaluation(result, uri.scheme === "file" ? uri.fsPath : uri.toString(), claimsPath));
    });

  const pack = async (params: PackParams, what: string) => {
    const result = await server().sendRequest<PackResult>(PACK_REQUEST, params);
    showWarnings(result.warnings);
    await deliverToken(result.token, what);
  };

  const packUnsigned = (arg?: unknown) =>
    withPolicy("pack", arg, (uri) => pack({ uri: uri.toString() }, "unsigned policy token"));

  const sign = (arg?: unknown) =>
    withPolicy("sign", arg, async (uri) => {
      const key = await pickFile("Signing key (PEM private key)", { "PEM key": ["pem", "key"], "All files": ["*"] }, uri, false);
      if (!key?.[0]) return;
      const certs = await pickFile("Signing certificate(s) (PEM), signer first", { Certificates: ["pem", "crt", "cer"], "All files": ["*"] }, uri, true);
      if (!certs) return;
      const byKey = "Default (by key type)";
      const alg = await vscode.window.showQuickPick([byKey, ...SIGNING_ALGORITHMS], { title: "MAA Policy: signing algorithm", placeHolder: "RS256 is the algorithm the service documents" });
      if (alg === undefined) return;
      const params: PackParams = {
        uri: uri.toString(),
        keyPath: key[0].fsPath,
        certPaths: certs.map((c) => c.fsPath),
        ...(alg === byKey ? {} : { alg }),
      };
      await pack(params, "signed policy token");
    });

  const showHash = (arg?: unknown) =>
    withPolicy("hash", arg, async (uri) => {
      const { policyHash } = await server().sendRequest<HashResult>(HASH_REQUEST, { uri: uri.toString() });
      const copy = "Copy";
      const choice = await vscode.window.showInformationMessage(`x-ms-policy-hash: ${policyHash}`, copy);
      if (choice === copy) await vscode.env.clipboard.writeText(policyHash);
    });

  const format = (arg?: unknown) =>
    withPolicy("format", arg, async (uri) => {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand("editor.action.formatDocument");
    });

  // "Compare with…": this policy is the new side; the picked one is the old side.
  const compare = (arg?: unknown) =>
    withPolicy("compare", arg, async (uri) => {
      const picked = await pickFile("Policy to compare with (the old version)", { Policies: ["policy", "maa", "maapolicy"], "All files": ["*"] }, uri, false);
      if (!picked?.[0]) return;
      const params: DiffParams = { uri: uri.toString(), against: picked[0].toString() };
      const result = await server().sendRequest<DiffResult>(DIFF_REQUEST, params);
      const doc = await vscode.workspace.openTextDocument({ content: result.markdown, language: "markdown" });
      await vscode.window.showTextDocument(doc, { preview: false });
    });

  return [
    vscode.commands.registerCommand(COMMANDS.evaluate, evaluate),
    vscode.commands.registerCommand(COMMANDS.packUnsigned, packUnsigned),
    vscode.commands.registerCommand(COMMANDS.sign, sign),
    vscode.commands.registerCommand(COMMANDS.showHash, showHash),
    vscode.commands.registerCommand(COMMANDS.format, format),
    vscode.commands.registerCommand(COMMANDS.compare, compare),
  ];
}
