import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { applyFixes, policyHash, type TextEdit } from "@maa-policy/core";
import { describe, expect, it } from "vitest";
import * as lsp from "vscode-languageserver";
import { analyze, type Analysis } from "../src/analysis.js";
import { codeActions } from "../src/features/code-actions.js";
import { toRange } from "../src/convert/to-lsp.js";
import { SHOW_FIRST_ERROR_COMMAND, codeLenses } from "../src/features/code-lens.js";
import { blockerOf, claimsFileFor, evaluatePolicy, hashPolicy, packPolicyRequest } from "../src/features/custom-requests.js";
import { documentSymbols } from "../src/features/document-symbols.js";
import { foldingRanges } from "../src/features/folding-ranges.js";
import { hover } from "../src/features/hover.js";
import { inlayHints } from "../src/features/inlay-hints.js";
import { formatJmesPath } from "../src/features/jmespath-text.js";
import { definition, documentHighlight, prepareRename, references, rename, renameProblem } from "../src/features/navigation.js";
import { selectionRange } from "../src/features/selection-ranges.js";
import { SEMANTIC_TOKENS_LEGEND, buildSemanticTokens, semanticTokens } from "../src/features/semantic-tokens.js";
import { signatureHelp } from "../src/features/signature-help.js";
import { DEFAULT_SETTINGS, effectiveSettings, findConfigFile, mergeSettings } from "../src/settings.js";
import { offsetOf } from "./support/client.js";

const POLICY = `version=1.2;
authorizationrules
{
    // Never trust a debuggable enclave.
    // Second comment line.
    c:[type=="x-ms-sgx-is-debuggable", value==true] => deny();
    c:[type=="x-ms-sgx-svn", value>=2]
        => permit();
};
issuancerules
{
    c:[type=="x-ms-sgx-mrsigner"] => issue(type="signer", value=c.value);
    c:[type=="x-ms-sgx-svn"] => issue(type="svn", value=c.value);
    j:[type=="x-ms-sgx-collateral"] => issue(type="q", value=JmesPath(j.value, "a.b|[0]"));
};
`;

function an(text: string, settings = DEFAULT_SETTINGS, uri = "file:///tmp/p.maa"): Analysis {
  return analyze(uri, 1, text, settings);
}

function md(h: lsp.Hover | null): string {
  const c = h?.contents;
  return c && typeof c === "object" && "value" in c ? c.value : "";
}

/** Applies LSP edits (non-overlapping) to `text`. */
function applyLsp(a: Analysis, edits: lsp.TextEdit[]): string {
  const core: TextEdit[] = edits.map((e) => ({ range: { start: a.lineIndex.offset(e.range.start), end: a.lineIndex.offset(e.range.end) }, newText: e.newText }));
  return applyFixes(a.text, [{ title: "", edits: core }]);
}

describe("hover", () => {
  const a = an(POLICY);
  it("describes catalogued claim types", () => {
    const h = md(hover(a, offsetOf(POLICY, "x-ms-sgx-svn", 3)));
    expect(h).toContain("Integer");
    expect(h).toContain("SgxEnclave");
  });
  it("marks deprecated claim types", () => {
    const t = 'version=1.2;\nauthorizationrules\n{\n    [type=="$is-debuggable", value==true] => deny();\n};\n';
    expect(md(hover(an(t), offsetOf(t, "$is", 2)))).toContain("Deprecated");
  });
  it("describes functions, actions, sections and properties", () => {
    expect(md(hover(a, offsetOf(POLICY, "JmesPath", 2)))).toContain("JmesPath(json: Json, query: String)");
    expect(md(hover(a, offsetOf(POLICY, "deny", 1)))).toContain("authorizationrules");
    expect(md(hover(a, offsetOf(POLICY, "issue(", 1)))).toContain("issuancerules");
    expect(md(hover(a, offsetOf(POLICY, "issuancerules", 2)))).toContain("token");
    expect(md(hover(a, offsetOf(POLICY, "value==true", 1)))).toContain("claim value");
  });
  it("shows the condition that binds an identifier", () => {
    const h = md(hover(a, offsetOf(POLICY, "c.value", 0)));
    expect(h).toContain('c:[type=="x-ms-sgx-mrsigner"]');
  });
  it("reformats JMESPath queries", () => {
    expect(md(hover(a, offsetOf(POLICY, '"a.b', 2)))).toContain("a.b | [0]");
    expect(formatJmesPath("[?name=='x']|[0].value")).toEqual({ ok: true, text: "[?name == 'x'] | [0].value" });
    expect(formatJmesPath("a[0")).toMatchObject({ ok: false });
  });
  it("returns null on whitespace", () => {
    expect(hover(a, 0 + POLICY.indexOf("\n{") + 1)).toBeNull();
  });
});

describe("definition, references, highlight, rename", () => {
  const a = an(POLICY);
  const use = offsetOf(POLICY, "c.value", 0, 0);
  it("goes to the binding in the same rule", () => {
    const d = definition(a, use);
    expect(d).toHaveLength(1);
    expect(a.lineIndex.offset(d[0]!.range.start)).toBe(offsetOf(POLICY, 'c:[type=="x-ms-sgx-mrsigner"]'));
  });
  it("finds references within the rule only", () => {
    expect(references(a, use, true)).toHaveLength(2);
    expect(references(a, use, false)).toHaveLength(1);
    const h = documentHighlight(a, use);
    expect(h.map((x) => x.kind)).toEqual([lsp.DocumentHighlightKind.Write, lsp.DocumentHighlightKind.Read]);
  });
  it("finds references of a claim type across the document", () => {
    const refs = references(a, offsetOf(POLICY, '"x-ms-sgx-svn"', 2), true);
    expect(refs).toHaveLength(2);
  });
  it("renames an identifier everywhere in its rule", () => {
    expect(prepareRename(a, use)?.placeholder).toBe("c");
    const edit = rename(a, use, "signer");
    const out = applyLsp(a, edit!.changes![a.uri]!);
    expect(out).toContain('signer:[type=="x-ms-sgx-mrsigner"] => issue(type="signer", value=signer.value)');
    expect(out).toContain('c:[type=="x-ms-sgx-svn"] => issue(type="svn", value=c.value)');
  });
  it("rejects invalid names, keywords and clashes", () => {
    expect(renameProblem(a, use, "1abc")).toContain("not a valid identifier");
    expect(renameProblem(a, use, "issue")).toContain("keyword");
    const t = 'version=1.2;\nissuancerules\n{\n    c:[type=="a"] && d:[type=="b"] => issue(type="x", value=c.value);\n};\n';
    const b = an(t);
    expect(renameProblem(b, offsetOf(t, "c:"), "d")).toContain("already used");
    expect(() => rename(b, offsetOf(t, "c:"), "d")).toThrow(lsp.ResponseError);
    expect(prepareRename(b, offsetOf(t, "issuancerules"))).toBeNull();
  });
});

describe("signature help and inlay hints", () => {
  it("gives the signature and the active parameter while typing", () => {
    const t = 'version=1.2;\nissuancerules\n{\n    j:[type=="a"] => issue(type="q", value=JmesPath(j.value, ';
    const s = signatureHelp(t, t.length);
    expect(s?.signatures[0]?.label).toBe("JmesPath(json: Json, query: String): Json");
    expect(s?.activeParameter).toBe(1);
    const nested = 'version=1.2;\nissuancerules\n{\n    j:[type=="a"] => issue(type="q", value=AppendString(NegateBool(';
    expect(signatureHelp(nested, nested.length)?.signatures[0]?.label).toContain("NegateBool");
    expect(signatureHelp("version=1.2;", 3)).toBeNull();
  });
  it("shows parameter names and the value type of c.value", () => {
    const a = an(POLICY);
    const hints = inlayHints(a, { start: 0, end: POLICY.length });
    const labels = hints.map((h) => h.label);
    expect(labels).toContain("query:");
    expect(labels).toContain(": String");
    expect(labels).toContain(": Integer");
    expect(labels).toContain("json:");
    expect(hints.filter((h) => h.label === "json:")).toHaveLength(1);
  });
});

describe("code actions", () => {
  it("offers each fix as a quick fix", () => {
    const t = 'version=1.2;\nauthorizationrules\n{\n    [type=="a", value==true] => premit();\n};\n';
    const a = an(t);
    const acts = codeActions(a, { start: offsetOf(t, "premit"), end: offsetOf(t, "premit") }, undefined);
    const fix = acts.find((c) => c.kind === "quickfix" && c.diagnostics?.[0]?.code === "P1007");
    expect(fix).toBeDefined();
    expect(applyLsp(a, fix!.edit!.changes![a.uri]!)).toContain("=> permit();");
  });
  it("offers fix-all as a source action", () => {
    const t = 'version=1.2;\nauthorizationrules\n{\n    [type="a"] => premit();\n    [type="b"] => permit();\n};\n';
    const a = an(t);
    const all = codeActions(a, { start: 0, end: 0 }, [lsp.CodeActionKind.SourceFixAll]);
    expect(all).toHaveLength(1);
    const out = applyLsp(a, all[0]!.edit!.changes![a.uri]!);
    expect(out).toContain('[type=="a"] => permit();');
    expect(out).toContain('[type=="b"] => permit();');
    expect(codeActions(a, { start: 0, end: 0 }, [lsp.CodeActionKind.Refactor])).toEqual([]);
  });
  it("disables a rule for the line with a suppression comment above the rule", () => {
    const t = 'version=1.2;\nauthorizationrules\n{\n    c:[type=="x-ms-sgx-svn", value>=2] => permit();\n};\n';
    const a = an(t);
    const d = a.diagnostics.find((x) => x.code === "P2012");
    expect(d).toBeDefined();
    const acts = codeActions(a, d!.range, [lsp.CodeActionKind.QuickFix]);
    const disable = acts.find((c) => c.title.startsWith("Disable P2012"));
    const out = applyLsp(a, disable!.edit!.changes![a.uri]!);
    expect(out).toContain("{\n    // maa-policy-ignore P2012: reason\n    c:[type==");
    expect(an(out).diagnostics.filter((x) => x.code === "P2012")).toEqual([]);
  });
});

describe("outline, folding, selection, semantic tokens", () => {
  const a = an(POLICY);
  it("lists sections and rule previews", () => {
    const s = documentSymbols(a);
    expect(s.map((x) => x.name)).toEqual(["version 1.2", "authorizationrules", "issuancerules"]);
    expect(s[1]?.children?.map((c) => c.name)).toEqual(['c:[type=="x-ms-sgx-is-debuggable", value==true] => deny();', 'c:[type=="x-ms-sgx-svn", value>=2] => permit();']);
    expect(s[2]?.children?.[0]?.detail).toBe("issue");
  });
  it("folds sections, multi-line rules and comment runs", () => {
    const f = foldingRanges(a);
    expect(f).toContainEqual({ startLine: 3, endLine: 4, kind: "comment" });
    expect(f).toContainEqual({ startLine: 6, endLine: 7 });
    expect(f.some((r) => r.startLine === 2 && r.kind === "region")).toBe(true);
  });
  it("expands the selection outwards from a string's contents", () => {
    let r: lsp.SelectionRange | undefined = selectionRange(a, offsetOf(POLICY, "mrsigner"));
    const texts: string[] = [];
    while (r) {
      texts.push(POLICY.slice(a.lineIndex.offset(r.range.start), a.lineIndex.offset(r.range.end)));
      r = r.parent;
    }
    expect(texts.slice(0, 4)).toEqual(["x-ms-sgx-mrsigner", '"x-ms-sgx-mrsigner"', 'type=="x-ms-sgx-mrsigner"', '[type=="x-ms-sgx-mrsigner"]']);
    expect(texts[texts.length - 1]).toBe(POLICY);
  });
  it("classifies tokens and computes deltas", () => {
    const toks = semanticTokens(POLICY, a.lineIndex);
    const types = SEMANTIC_TOKENS_LEGEND.tokenTypes;
    const first = toks[0]!;
    expect(types[first.type]).toBe("keyword");
    expect(toks.some((t) => types[t.type] === "comment")).toBe(true);
    const fn = toks.find((t) => types[t.type] === "function");
    expect(fn?.modifiers).toBe(4);
    const builder = new lsp.SemanticTokensBuilder();
    const full = buildSemanticTokens(builder, toks, undefined) as lsp.SemanticTokens;
    expect(full.data.length).toBe(toks.length * 5);
    const edited = POLICY.replace("deny", "deny ");
    const b = an(edited);
    const delta = buildSemanticTokens(builder, semanticTokens(edited, b.lineIndex), full.resultId);
    expect("edits" in delta).toBe(true);
  });
});

describe("code lens, evaluate, pack, hash, settings", () => {
  const dir = mkdtempSync(join(tmpdir(), "maa-lsp-"));
  const policyPath = join(dir, "sgx.maa");
  writeFileSync(policyPath, POLICY);
  writeFileSync(join(dir, "sgx.claims.json"), JSON.stringify([{ type: "x-ms-sgx-is-debuggable", value: false }, { type: "x-ms-sgx-svn", value: 3 }, { type: "x-ms-sgx-mrsigner", value: "abc" }]));
  it("finds the claims file next to the policy or from the settings", () => {
    expect(claimsFileFor(policyPath, DEFAULT_SETTINGS, undefined)).toBe(join(dir, "sgx.claims.json"));
    const s = mergeSettings(DEFAULT_SETTINGS, { evaluate: { claimsFile: "other.json" } });
    expect(claimsFileFor(policyPath, s, undefined)).toBe(join(dir, "other.json"));
    expect(claimsFileFor(policyPath, s, "/abs.json")).toBe("/abs.json");
  });
  it("evaluates with the claims file and returns the JSON result with its trace", async () => {
    const r = await evaluatePolicy({ text: POLICY, path: policyPath }, join(dir, "sgx.claims.json"));
    expect(r.decision).toBe("permit");
    expect(r.trace).toBeDefined();
  });
  it("explains why it cannot evaluate", async () => {
    await expect(evaluatePolicy({ text: POLICY, path: policyPath }, join(dir, "missing.json"))).rejects.toThrow(/no such file/);
    await expect(evaluatePolicy({ text: "version=1.2; authorizationrules { => premit(); };", path: policyPath }, join(dir, "sgx.claims.json"))).rejects.toThrow(/policy has errors/);
  });
  it("shows the decision in a lens on each section", async () => {
    const a = an(POLICY, DEFAULT_SETTINGS, pathToFileURL(policyPath).href);
    const result = await evaluatePolicy({ text: POLICY, path: policyPath }, join(dir, "sgx.claims.json"));
    const lenses = codeLenses(a, { path: join(dir, "sgx.claims.json"), exists: true, outcome: { result } });
    expect(lenses).toHaveLength(3);
    expect(lenses[0]?.command?.title).toBe("Evaluate with sgx.claims.json: permit (2 claims issued)");
    expect(lenses[2]?.command).toEqual({ title: "Compare with…", command: "maa-policy.compare", arguments: [{ uri: pathToFileURL(policyPath).href }] });
    expect(lenses[0]?.command?.command).toBe("maa-policy.evaluate");
    expect(codeLenses(a, { path: join(dir, "x.claims.json"), exists: false, outcome: undefined })[0]?.command?.title).toBe("Evaluate with… (create x.claims.json)");
  });
  it("a lens that cannot evaluate leads to the policy's first error or to the claims file, not to the evaluation", async () => {
    const broken = "version=1.2;\nauthorizationrules\n{\n    => premit();\n};\n";
    const refusal = await evaluatePolicy({ text: broken, path: policyPath }, join(dir, "sgx.claims.json")).then(
      () => undefined,
      (e: unknown) => e,
    );
    const blocker = blockerOf(refusal);
    expect(blocker?.kind).toBe("policy");
    const a = an(broken, DEFAULT_SETTINGS, pathToFileURL(policyPath).href);
    const firstError = a.diagnostics.find((d) => d.severity === "error");
    expect(firstError).toBeDefined();
    const lenses = codeLenses(a, { path: join(dir, "sgx.claims.json"), exists: true, outcome: { error: (refusal as Error).message, blocker } });
    expect(lenses[0]?.command?.title).toMatch(/^Evaluate with sgx\.claims\.json: cannot run \(the policy has errors/);
    expect(lenses[0]?.command?.command).toBe(SHOW_FIRST_ERROR_COMMAND);
    expect(lenses[0]?.command?.arguments).toEqual([{ uri: a.uri, range: toRange(a.lineIndex, firstError?.range ?? { start: -1, end: -1 }) }]);
    expect((lenses[0]?.command?.arguments?.[0] as { range: { start: { line: number } } }).range.start.line).toBe(3);

    const badClaims = join(dir, "bad.claims.json");
    writeFileSync(badClaims, "{ not json");
    const claimsRefusal = await evaluatePolicy({ text: POLICY, path: policyPath }, badClaims).then(
      () => undefined,
      (e: unknown) => e as lsp.ResponseError<unknown>,
    );
    expect(blockerOf(claimsRefusal)).toEqual({ kind: "claims", path: badClaims });
    const ok = an(POLICY, DEFAULT_SETTINGS, pathToFileURL(policyPath).href);
    const claimsLens = codeLenses(ok, { path: badClaims, exists: true, outcome: { error: claimsRefusal?.message ?? "", blocker: blockerOf(claimsRefusal) } });
    expect(claimsLens[0]?.command).toMatchObject({ command: SHOW_FIRST_ERROR_COMMAND, arguments: [{ uri: pathToFileURL(badClaims).href, range: { start: { line: 0, character: 0 } } }] });
  });
  it("packs unsigned tokens and hashes policies", async () => {
    const r = await packPolicyRequest({ text: POLICY, path: policyPath }, { uri: "x" });
    expect(r.token.endsWith(".")).toBe(true);
    expect(hashPolicy({ text: POLICY, path: undefined })).toEqual({ policyHash: policyHash(POLICY) });
    await expect(packPolicyRequest({ text: POLICY, path: policyPath }, { uri: "x", keyPath: "nokey.pem", certPaths: ["c.pem"] })).rejects.toThrow(/private key/);
  });
  it("merges client settings and the nearest maa-policy.config.json (the file wins)", async () => {
    const sub = join(dir, "a", "b");
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(dir, "maa-policy.config.json"), JSON.stringify({ rules: { P2012: "off" }, attestationType: "Tpm", ignore: ["drafts/**"] }));
    const found = await findConfigFile(sub);
    expect(found?.path).toBe(join(dir, "maa-policy.config.json"));
    const problems: string[] = [];
    const s = effectiveSettings({ rules: { P2012: "error", P2028: "warning" }, attestationType: "SgxEnclave", format: { width: 80, indent: "tab" }, "trace.server": "verbose" }, found, problems);
    expect(s.rules).toEqual({ P2012: "off", P2028: "warning" });
    expect(s.attestationType).toBe("Tpm");
    expect(s.format).toEqual({ width: 80, indent: "tab" });
    expect(s.trace.server).toBe("verbose");
    expect(s.configFile).toBe(join(dir, "maa-policy.config.json"));
    mergeSettings(DEFAULT_SETTINGS, { rules: { P2012: "loud" }, format: { width: "wide" } }, problems);
    expect(problems).toEqual(["rules: `P2012`: expected one of error, warning, info, off", "format.width: expected an integer from 20 to 1000"]);
  });
  it("applies rule levels and the attestation type from the settings", () => {
    const t = 'version=1.2;\nauthorizationrules\n{\n    c:[type=="x-ms-sgx-svn", value>=2] => permit();\n};\n';
    expect(an(t).diagnostics.some((d) => d.code === "P2012")).toBe(true);
    const off = mergeSettings(DEFAULT_SETTINGS, { rules: { P2012: "off" }, attestationType: "Tpm" });
    const a = an(t, off);
    expect(a.diagnostics.some((d) => d.code === "P2012")).toBe(false);
    expect(a.attestationType).toBe("Tpm");
  });
});
