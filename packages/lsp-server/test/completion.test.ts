import { LineIndex } from "@maa-policy/core";
import { describe, expect, it } from "vitest";
import type * as lsp from "vscode-languageserver";
import { completion } from "../src/features/completion.js";
import { cursorContext } from "../src/features/cursor-context.js";

/** Completes at the `|` marker of `marked`. */
function complete(marked: string, attestationType?: string, snippets = true): lsp.CompletionItem[] {
  const offset = marked.indexOf("|");
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  return completion({ text, offset, positions: new LineIndex(text), attestationType, snippets }).items;
}

function labels(items: lsp.CompletionItem[]): string[] {
  return items.map((i) => i.label);
}

function place(marked: string): string {
  const offset = marked.indexOf("|");
  return cursorContext(marked.slice(0, offset) + marked.slice(offset + 1), offset).place.kind;
}

function newText(item: lsp.CompletionItem | undefined): string | undefined {
  const e = item?.textEdit;
  return e && "newText" in e ? e.newText : undefined;
}

describe("completion", () => {
  it("offers the version and a skeleton in an empty document (end of file)", () => {
    const l = labels(complete("|"));
    expect(l).toContain("version");
    expect(l).toContain("policy");
    expect(l).toContain("authorizationrules");
  });

  it("offers the sections that may still come, in order, at top level", () => {
    const l = labels(complete("version=1.2;\nauthorizationrules\n{\n    => permit();\n};\n|"));
    expect(l).toEqual(["issuancerules"]);
    expect(labels(complete("version=1.0;\n|"))).not.toContain("configurationrules");
    expect(labels(complete("version=1.2;\n|"))).toEqual(["configurationrules", "authorizationrules", "issuancerules"]);
  });

  it("offers only the actions allowed in the section after `=>`", () => {
    const authz = labels(complete("version=1.2;\nauthorizationrules\n{\n    [type==\"x\"] => |\n};"));
    expect(authz).toContain("permit");
    expect(authz).toContain("deny");
    expect(authz).toContain("add");
    expect(authz).not.toContain("issue");
    expect(authz).not.toContain("issueproperty");
    const iss = labels(complete("version=1.2;\nauthorizationrules\n{\n};\nissuancerules\n{\n    c:[type==\"x\"] => |"));
    expect(iss).toEqual(expect.arrayContaining(["issue", "add", "issueproperty", "issue(claim=c)"]));
    expect(iss).not.toContain("permit");
    const cfg = labels(complete("version=1.2;\nconfigurationrules\n{\n    => |\n};"));
    expect(cfg).toEqual(["issueproperty"]);
  });

  it("uses snippets with a semicolon at the end of a line, plain text without snippet support", () => {
    const items = complete("version=1.2;\nauthorizationrules\n{\n    => |\n};");
    expect(newText(items.find((i) => i.label === "permit"))).toBe("permit();$0");
    const plain = complete("version=1.2;\nauthorizationrules\n{\n    => |\n};", undefined, false);
    expect(newText(plain.find((i) => i.label === "permit"))).toBe("permit();");
    expect(plain.every((i) => i.insertTextFormat !== 2)).toBe(true);
  });

  it("offers conditions and `=>` actions at the start of a rule", () => {
    const l = labels(complete("version=1.2;\nauthorizationrules\n{\n    |\n};"));
    expect(l).toEqual(expect.arrayContaining(["c:[type==…]", "[type==…]", "![type==…]", "=> permit", "=> deny"]));
  });

  it("offers condition properties, then operators", () => {
    expect(labels(complete('version=1.2;\nauthorizationrules\n{\n    c:[|'))).toEqual(["type", "value", "issuer"]);
    expect(labels(complete('version=1.2;\nauthorizationrules\n{\n    c:[type=="x", |'))).toEqual(["type", "value", "issuer"]);
    expect(labels(complete('version=1.2;\nauthorizationrules\n{\n    c:[value|'))).toEqual(["type", "value", "issuer"]);
    expect(labels(complete('version=1.2;\nauthorizationrules\n{\n    c:[value |'))).toEqual(["==", "!=", "<", "<=", ">", ">="]);
    expect(labels(complete('version=1.2;\nauthorizationrules\n{\n    c:[type |'))).toEqual(["==", "!="]);
  });

  it("offers claim types of the attestation type in use, with value type and description", () => {
    const items = complete('version=1.2;\nauthorizationrules\n{\n    c:[type==|', "SgxEnclave");
    const svn = items.find((i) => i.label === "x-ms-sgx-svn");
    expect(svn?.detail).toContain("Integer");
    expect(newText(svn)).toBe('"x-ms-sgx-svn"');
    expect(labels(items)).not.toContain("secureBootEnabled");
    const dep = items.find((i) => i.label === "$is-debuggable");
    expect(dep?.tags).toEqual([1]);
    const tpm = labels(complete('version=1.2;\nauthorizationrules\n{\n    c:[type==|', "Tpm"));
    expect(tpm).toContain("secureBootEnabled");
    expect(tpm).not.toContain("x-ms-sgx-svn");
  });

  it("completes claim types inside an unterminated string at the end of the file", () => {
    const marked = 'version=1.2;\nauthorizationrules\n{\n    c:[type=="x-ms-sgx-|';
    const items = complete(marked, "SgxEnclave");
    const item = items.find((i) => i.label === "x-ms-sgx-mrsigner");
    expect(newText(item)).toBe('x-ms-sgx-mrsigner"');
    const edit = item?.textEdit as lsp.TextEdit;
    expect(edit.range.start.character).toBe('    c:[type=="'.length);
  });

  it("completes inside a terminated string, replacing its contents", () => {
    const items = complete('version=1.2;\nauthorizationrules\n{\n    c:[type=="x-ms|-sgx"] => permit();\n};', "SgxEnclave");
    const item = items.find((i) => i.label === "x-ms-sgx-svn");
    expect(newText(item)).toBe("x-ms-sgx-svn");
    const edit = item?.textEdit as lsp.TextEdit;
    expect(edit.range.end.character - edit.range.start.character).toBe("x-ms-sgx".length);
  });

  it("offers issuer values", () => {
    expect(labels(complete('version=1.2;\nauthorizationrules\n{\n    [type=="x", issuer==|'))).toEqual(["AttestationService", "AttestationPolicy", "CustomClaim"]);
    expect(labels(complete('version=1.2;\nauthorizationrules\n{\n    [type=="x", issuer=="Att|"] => permit();\n};'))).toContain("AttestationPolicy");
  });

  it("offers bound identifiers, booleans and functions (1.2 only) as values", () => {
    const l = labels(complete('version=1.2;\nissuancerules\n{\n    c:[type=="x"] => issue(type="y", value=|'));
    expect(l).toEqual(expect.arrayContaining(["c.value", "true", "false", "JmesPath", "IsSubsetOf"]));
    const old = labels(complete('version=1.1;\nissuancerules\n{\n    c:[type=="x"] => issue(type="y", value=|'));
    expect(old).toContain("c.value");
    expect(old).not.toContain("JmesPath");
    const fn = complete('version=1.2;\nissuancerules\n{\n    c:[type=="x"] => issue(type="y", value=|').find((i) => i.label === "JmesPath");
    expect(newText(fn)).toBe("JmesPath(${1:json}, ${2:query})");
  });

  it("offers only booleans for a Boolean claim's value, not for an Integer claim", () => {
    const b = labels(complete('version=1.2;\nauthorizationrules\n{\n    c:[type=="x-ms-sgx-is-debuggable", value==|'));
    expect(b).toContain("true");
    const n = labels(complete('version=1.2;\nauthorizationrules\n{\n    c:[type=="x-ms-sgx-svn", value>=|'));
    expect(n).not.toContain("true");
  });

  it("offers configuration property names inside issueproperty, and their values", () => {
    const l = labels(complete('version=1.2;\nconfigurationrules\n{\n    => issueproperty(type=|'));
    expect(l).toContain("x-ms-sgx-tcbidentifier");
    const inString = labels(complete('version=1.2;\nconfigurationrules\n{\n    => issueproperty(type="x-|'));
    expect(inString).toContain("x-ms-sgx-tcbidentifier");
    const values = labels(complete('version=1.2;\nconfigurationrules\n{\n    => issueproperty(type="x-ms-sgx-tcbidentifier", value=|'));
    expect(values).toContain("azuredefault");
  });

  it("offers argument names not yet used", () => {
    const l = labels(complete('version=1.2;\nissuancerules\n{\n    c:[type=="x"] => issue(type="y", |'));
    expect(l).toEqual(expect.arrayContaining(["value", "valueType", "issuer"]));
    expect(l).not.toContain("type");
    expect(l).not.toContain("claim");
    expect(labels(complete('version=1.2;\nissuancerules\n{\n    c:[type=="x"] => issue(claim=|'))).toEqual(["c"]);
  });

  it("offers `value` after `c.`", () => {
    expect(labels(complete('version=1.2;\nissuancerules\n{\n    c:[type=="x"] => issue(type="y", value=c.|'))).toEqual(["value"]);
  });

  it("works inside broken code: after an error earlier in the file", () => {
    const marked = 'version=1.2;\nauthorizationrules\n{\n    c:[type=="x" value==true] => premit();\n    [type ==|\n};';
    expect(labels(complete(marked, "SgxEnclave"))).toContain("x-ms-sgx-svn");
    const after = 'version=1.2;\nauthorizationrules\n{\n    c:[type="x"] => |';
    expect(labels(complete(after))).toContain("permit");
  });

  it("offers nothing inside comments", () => {
    expect(complete("version=1.2;\n// auth|\nauthorizationrules { };")).toEqual([]);
    expect(place('version=1.2;\nauthorizationrules\n{\n    [type=="x"] // => |\n};')).toBe("none");
  });

  it("finds the context in a very long section (window truncated)", () => {
    const rules = Array.from({ length: 2000 }, (_, i) => `    c:[type=="x-ms-sgx-svn", value>=${i}] => permit();`).join("\n");
    const marked = `version=1.2;\nauthorizationrules\n{\n${rules}\n    c:[type==|\n};`;
    expect(labels(complete(marked, "SgxEnclave"))).toContain("x-ms-sgx-mrenclave");
    expect(labels(complete(`version=1.2;\nauthorizationrules\n{\n${rules}\n    c:[type=="a"] => |\n};`))).toContain("deny");
  });
});
