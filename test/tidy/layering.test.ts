/**
 * Layering is law (ARCHITECTURE.md): policy-core does no I/O and knows nothing of LSP or VS Code;
 * the server knows nothing of VS Code; the extension holds no language logic. This test reads the
 * import specifiers of every source file and fails on a forbidden one.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/fixtures.js";

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith(".d.ts")) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** Every module specifier imported, re-exported or required by a source text. */
export function importsOf(text: string): string[] {
  const specs: string[] = [];
  const re = /(?:^|[^\w.])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|require\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;
  for (const m of text.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3] ?? m[4]) as string);
  return specs;
}

interface Rule {
  readonly pkg: string;
  readonly forbidden: readonly RegExp[];
  readonly why: string;
}

const RULES: readonly Rule[] = [
  {
    pkg: "policy-core",
    forbidden: [/^(node:)?(fs|fs\/promises|net|http|https|http2|child_process|worker_threads|dgram|tls|readline)$/, /^vscode/, /lsp-server|@maa-policy\/cli|vscode-ext/, /@maa-policy\/(service|evidence)/, /^fastify/],
    why: "policy-core is a pure library: no file, network or process I/O, no LSP, no VS Code",
  },
  {
    pkg: "evidence",
    forbidden: [/^node:/, /^(fs|fs\/promises|net|http|https|http2|child_process|worker_threads|dgram|tls|readline|crypto|buffer|path|os)$/, /^vscode/, /lsp-server|@maa-policy\/cli|vscode-ext/, /@maa-policy\/service/, /^fastify/, /policy-core\/src/],
    why: "the evidence package is pure and must run in a browser: WebCrypto and @peculiar/x509, no node:* module, no I/O",
  },
  {
    pkg: "service",
    forbidden: [/^vscode/, /policy-core\/src/, /evidence\/src/, /lsp-server/, /@maa-policy\/cli/, /vscode-ext/],
    why: "the service composes policy-core and evidence through their package exports and owns the I/O; it knows nothing of the CLI, LSP or VS Code",
  },
  {
    pkg: "lsp-server",
    forbidden: [/^vscode$/, /^vscode-languageclient/, /policy-core\/src/, /vscode-ext/, /@maa-policy\/cli/],
    why: "the server knows nothing of VS Code and uses policy-core through its package exports only",
  },
  {
    pkg: "cli",
    forbidden: [/^vscode/, /policy-core\/src/, /lsp-server/, /service\/src/, /evidence\/src/, /^fastify/],
    why: "the CLI uses policy-core, evidence and the service through their package exports only",
  },
  {
    pkg: "vscode-ext",
    forbidden: [/@maa-policy\/core/, /policy-core/, /^chevrotain$/, /^jose$/, /jmespath/],
    why: "the extension holds no language logic: everything goes through the language server",
  },
];

describe("layering", () => {
  for (const rule of RULES) {
    it(`${rule.pkg}: ${rule.why}`, () => {
      const dir = path.join(ROOT, "packages", rule.pkg, "src");
      const offenders: string[] = [];
      for (const file of sourceFiles(dir)) {
        for (const spec of importsOf(readFileSync(file, "utf8"))) {
          if (rule.forbidden.some((re) => re.test(spec))) offenders.push(`${path.relative(ROOT, file)} imports ${spec}`);
        }
      }
      expect(offenders).toEqual([]);
    });
  }

  it("playground: the web app holds no language logic; only its analysis worker runs the language server's features", () => {
    const dir = path.join(ROOT, "packages", "playground", "src");
    const offenders: string[] = [];
    for (const file of sourceFiles(dir)) {
      const name = path.basename(file);
      const text = readFileSync(file, "utf8");
      for (const spec of importsOf(text)) {
        if (/^node:|^(fs|path|child_process|worker_threads)$/.test(spec)) offenders.push(`${name} imports ${spec} (the web app runs in a browser)`);
        if (/^chevrotain$|jmespath|policy-core\/src/.test(spec)) offenders.push(`${name} imports ${spec}`);
        if (/lsp-server/.test(spec) && (name !== "analysis-worker.ts" || !/^\.\.\/\.\.\/lsp-server\/src\/(analysis|convert\/to-lsp|features\/[a-z-]+|settings-defaults)\.js$/.test(spec))) {
          offenders.push(`${name} imports ${spec} (only the analysis worker runs the server's feature modules)`);
        }
        if (/^@maa-policy\/(core|evidence)$/.test(spec) && !["analysis-worker.ts", "console.ts", "protocol.ts"].includes(name)) offenders.push(`${name} imports ${spec} (the page asks the worker)`);
      }
      // The highlighter's words come from policy-core's token lists, never a copy.
      if (/["'](authorizationrules|issuancerules|issueproperty)["']/i.test(text)) offenders.push(`${name} spells a keyword of the grammar`);
    }
    expect(offenders).toEqual([]);
  });

  it("policy-core and evidence use no console, ambient clock or randomness", () => {
    const offenders: string[] = [];
    for (const file of ["policy-core", "evidence"].flatMap((pkg) => sourceFiles(path.join(ROOT, "packages", pkg, "src")))) {
      const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, "");
      for (const [re, what] of [
        [/\bconsole\./, "console"],
        [/\bprocess\./, "process"],
        [/\bDate\.now\(/, "Date.now()"],
        [/\bnew Date\(\s*\)/, "new Date()"],
        [/\bMath\.random\(/, "Math.random()"],
        [/\bperformance\.now\(/, "performance.now()"],
      ] as const) {
        if (re.test(text)) offenders.push(`${path.relative(ROOT, file)} uses ${what}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("`maa-policy serve` only parses options and starts the service: no HTTP server, no store of its own", () => {
    const text = readFileSync(path.join(ROOT, "packages", "cli", "src", "commands", "serve.ts"), "utf8");
    const offenders = importsOf(text).filter((spec) => /^(node:)?(http|https|http2|net|tls)$|^fastify/.test(spec));
    expect(offenders).toEqual([]);
    expect(/\bprocess\.|\bconsole\./.test(text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ""))).toBe(false);
  });

  it("recognises the import forms it polices", () => {
    expect(importsOf(`import { a } from "node:fs";\nexport * from './x.js';\nconst m = await import("vscode");\nimport "side";\nimport type { T } from "jose";`)).toEqual([
      "node:fs",
      "./x.js",
      "vscode",
      "side",
      "jose",
    ]);
  });
});
