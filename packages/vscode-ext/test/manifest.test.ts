/**
 * The extension manifest (package.json) agrees with the rest of the toolchain: the language id,
 * file extensions and grammar scope; the settings the language server reads (packages/lsp-server/
 * src/settings.ts); the commands of the agreed API; the attestation types of the core library;
 * and its snippets are policies that check without errors.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ATTESTATION_TYPES, check } from "@maa-policy/core";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, SETTINGS_SECTION, mergeSettings, type ServerSettings } from "../../lsp-server/src/settings.js";

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROOT = path.resolve(PKG, "../..");

interface SettingSchema {
  readonly type: string | string[];
  readonly default: unknown;
  readonly enum?: unknown[];
  readonly scope?: string;
}

interface Manifest {
  name: string;
  version: string;
  publisher: string;
  license: string;
  icon: string;
  main: string;
  engines: { vscode: string };
  scripts: Record<string, string>;
  activationEvents: string[];
  contributes: {
    languages: { id: string; extensions: string[]; configuration: string }[];
    grammars: { language: string; scopeName: string; path: string }[];
    snippets: { language: string; path: string }[];
    configuration: { title: string; properties: Record<string, SettingSchema> };
    commands: { command: string; title: string; category: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
  };
}

const manifest = JSON.parse(readFileSync(path.join(PKG, "package.json"), "utf8")) as Manifest;
const properties = manifest.contributes.configuration.properties;

/** `{"a.b": v}` → `{a: {b: v}}`. */
function nested(key: string, value: unknown): Record<string, unknown> {
  const parts = key.split(".");
  let out: unknown = value;
  for (const p of parts.reverse()) out = { [p]: out };
  return out as Record<string, unknown>;
}

/** The leaf keys of the server's settings (a map such as `rules` is one leaf). */
function leafKeys(o: object, prefix = ""): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === "object" && v !== null && Object.keys(v).length > 0 ? leafKeys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

/** Valid values of each setting, other than the default (for the agreement test). */
const SAMPLES: Record<string, unknown[]> = {
  "maa-policy.rules": [{ P2012: "off", P2032: "error" }],
  "maa-policy.attestationType": ["SgxEnclave", "TdxVm"],
  "maa-policy.format.width": [80, 120],
  "maa-policy.format.indent": [2, "tab"],
  "maa-policy.evaluate.claimsFile": ["claims/sgx.json"],
  "maa-policy.trace.server": ["messages", "verbose"],
};

describe("manifest", () => {
  it("contributes the language maa-policy with its extensions and language configuration", () => {
    expect(manifest.name).toBe("maa-policy");
    expect(manifest.contributes.languages).toHaveLength(1);
    const lang = manifest.contributes.languages[0];
    expect(lang?.id).toBe("maa-policy");
    expect(lang?.extensions).toEqual([".maapolicy", ".maa", ".policy"]);
    expect(lang?.configuration).toBe("./language-configuration.json");
    expect(manifest.activationEvents).toEqual(["onLanguage:maa-policy"]);
    expect(manifest.main).toBe("./dist/extension.cjs");
  });

  it("contributes the grammar under its scope, at the path the build copies it to", () => {
    const grammar = JSON.parse(readFileSync(path.join(ROOT, "grammar", "maa-policy.tmLanguage.json"), "utf8")) as { scopeName: string };
    expect(manifest.contributes.grammars).toEqual([
      { language: "maa-policy", scopeName: grammar.scopeName, path: "./syntaxes/maa-policy.tmLanguage.json" },
    ]);
    expect(grammar.scopeName).toBe("source.maa-policy");
    const build = readFileSync(path.join(PKG, "scripts", "build.mjs"), "utf8");
    expect(build).toContain('path.join(PKG, "syntaxes", "maa-policy.tmLanguage.json")');
    expect(build).toContain('path.join(PKG, "language-configuration.json")');
  });

  it("declares exactly the settings the language server reads", () => {
    expect(Object.keys(properties).every((k) => k.startsWith(`${SETTINGS_SECTION}.`))).toBe(true);
    const declared = Object.keys(properties).map((k) => k.slice(SETTINGS_SECTION.length + 1)).sort();
    const read = leafKeys(DEFAULT_SETTINGS).filter((k) => k !== "configFile").sort();
    expect(declared).toEqual(read);
    expect(declared).toEqual(["attestationType", "evaluate.claimsFile", "format.indent", "format.width", "rules", "trace.server"]);
  });

  it("gives each setting a default the server takes as its own default", () => {
    for (const [key, schema] of Object.entries(properties)) {
      const problems: string[] = [];
      const merged = mergeSettings(DEFAULT_SETTINGS, nested(key.slice(SETTINGS_SECTION.length + 1), schema.default), problems);
      expect(problems, key).toEqual([]);
      expect(merged, key).toEqual(DEFAULT_SETTINGS);
    }
  });

  it("accepts in its schema exactly the sample values the server accepts", () => {
    const ajv = new Ajv({ strict: false });
    for (const [key, schema] of Object.entries(properties)) {
      const validate = ajv.compile(schema);
      const short = key.slice(SETTINGS_SECTION.length + 1);
      const samples = SAMPLES[key];
      expect(samples, key).toBeDefined();
      for (const value of samples ?? []) {
        expect(validate(value), `${key}: ${JSON.stringify(value)}`).toBe(true);
        const problems: string[] = [];
        const merged: ServerSettings = mergeSettings(DEFAULT_SETTINGS, nested(short, value), problems);
        expect(problems, key).toEqual([]);
        expect(merged, `${key} = ${JSON.stringify(value)} changes the server's settings`).not.toEqual(DEFAULT_SETTINGS);
      }
    }
    // Values the server rejects are invalid in the schema too.
    const rejected: [string, unknown][] = [
      ["maa-policy.rules", { P2012: "loud" }],
      ["maa-policy.format.width", 5],
      ["maa-policy.format.indent", 0],
      ["maa-policy.format.indent", "spaces"],
      ["maa-policy.trace.server", "all"],
    ];
    for (const [key, value] of rejected) {
      const problems: string[] = [];
      mergeSettings(DEFAULT_SETTINGS, nested(key.slice(SETTINGS_SECTION.length + 1), value), problems);
      const serverIgnores = problems.length > 0 || key === "maa-policy.trace.server";
      expect(serverIgnores, key).toBe(true);
      expect(ajv.compile(properties[key] as object)(value), `${key}: ${JSON.stringify(value)}`).toBe(false);
    }
  });

  it("offers the core library's attestation types", () => {
    expect(properties["maa-policy.attestationType"]?.enum).toEqual([null, ...ATTESTATION_TYPES]);
  });

  it("contributes the six commands of the agreed API, in the palette only for policies", () => {
    expect(manifest.contributes.commands.map((c) => c.command)).toEqual([
      "maa-policy.evaluate",
      "maa-policy.packUnsigned",
      "maa-policy.sign",
      "maa-policy.showHash",
      "maa-policy.format",
      "maa-policy.compare",
    ]);
    for (const c of manifest.contributes.commands) expect(c.category).toBe("MAA Policy");
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) {
        expect(contributed.has(item.command), `${menu}: ${item.command}`).toBe(true);
        expect(item.when, `${menu}: ${item.command}`).toBe("editorLangId == maa-policy");
      }
    }
    expect(manifest.contributes.menus["commandPalette"]?.map((i) => i.command)).toEqual([...contributed]);
  });

  it("has snippets for SGX, TPM and SEV-SNP starting policies that check without errors", () => {
    const [contribution] = manifest.contributes.snippets;
    expect(contribution?.language).toBe("maa-policy");
    const snippets = JSON.parse(readFileSync(path.join(PKG, contribution?.path ?? ""), "utf8")) as Record<string, { prefix: string[]; body: string[] }>;
    expect(Object.values(snippets).map((s) => s.prefix[0])).toEqual(["maa-sgx", "maa-tpm", "maa-sevsnp"]);
    const expected = { "maa-sgx": "SgxEnclave", "maa-tpm": "Tpm", "maa-sevsnp": "SevSnpVm" } as const;
    for (const s of Object.values(snippets)) {
      // Expand the snippet as VS Code would with its defaults: `${1:x}` → x, `$0` → nothing.
      const text = s.body.join("\n").replace(/\$\{\d+:([^}]*)\}/g, "$1").replace(/\$\d+/g, "") + "\n";
      const result = check(text);
      const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
      expect(errors, s.prefix[0]).toEqual([]);
      expect(result.attestationType, s.prefix[0]).toBe(expected[s.prefix[0] as keyof typeof expected]);
    }
  });

  it("has the files the marketplace page needs, and a small PNG icon", () => {
    for (const f of ["README.md", "CHANGELOG.md", "LICENSE"]) expect(existsSync(path.join(PKG, f)), f).toBe(true);
    const readme = readFileSync(path.join(PKG, "README.md"), "utf8");
    expect(readme).toContain("code --install-extension");
    for (const c of manifest.contributes.commands) expect(readme, c.title).toContain(`**MAA Policy: ${c.title}**`);
    for (const key of Object.keys(properties)) expect(readme, key).toContain(`| \`${key}\` |`);
    const icon = readFileSync(path.join(PKG, manifest.icon));
    expect(icon.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([128, 128]);
    expect(icon.length).toBeLessThan(20_000);
  });

  it("requires a VS Code that the language client supports and whose Node runs the server (20)", () => {
    const minor = (range: string) => Number(/^\^1\.(\d+)\.\d+$/.exec(range)?.[1]);
    const require = createRequire(import.meta.url);
    const lc = JSON.parse(readFileSync(require.resolve("vscode-languageclient/package.json"), "utf8")) as { engines: { vscode: string } };
    expect(minor(manifest.engines.vscode)).toBeGreaterThanOrEqual(minor(lc.engines.vscode));
    // VS Code 1.90 is the first release whose extension host runs Node 20.
    expect(minor(manifest.engines.vscode)).toBeGreaterThanOrEqual(90);
    expect(readFileSync(path.join(PKG, "scripts", "build.mjs"), "utf8")).toContain('const TARGET = "node20";');
  });

  it("packages without dependencies from a bundled build, and the root script runs it", () => {
    expect(manifest.scripts["package"]).toBe("node scripts/build.mjs && vsce package --no-dependencies");
    const root = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(root.scripts["package"]).toBe("npm run package -w maa-policy");
  });
});
