/**
 * Layering is law (ARCHITECTURE.md): policy-core does no I/O and knows nothing of LSP or VS Code;
 * the server knows nothing of VS Code; the extension holds no language logic. This test reads the
 * import specifiers of every source file and fails on a forbidden one.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
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

/** The source files of every package, for the no-cycles rule. */
function allPackageSources(): string[] {
  const out: string[] = [];
  for (const pkg of readdirSync(path.join(ROOT, "packages"))) {
    const src = path.join(ROOT, "packages", pkg, "src");
    if (existsSync(src)) out.push(...sourceFiles(src));
  }
  return out;
}

/** The file a relative specifier names (`./x.js` is `./x.ts` in the sources), or undefined. */
function resolveRelative(from: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  const candidates = [base, base.replace(/\.js$/, ".ts"), base.replace(/\.mjs$/, ".mts"), `${base}.ts`, path.join(base, "index.ts")];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/**
 * The import cycles of a module graph (each an elementary cycle through one strongly connected
 * component, as a path that returns to its start), found with Tarjan's algorithm.
 */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  // One cycle per component, to name in the failure: a shortest path back to its first member.
  return components.map((component) => {
    const members = new Set(component);
    const start = [...component].sort()[0] as string;
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
      const v = queue.shift() as string;
      for (const w of graph.get(v) ?? []) {
        if (!members.has(w)) continue;
        if (w === start) {
          const cycle = [start];
          for (let u = v; u !== start; u = previous.get(u) as string) cycle.splice(1, 0, u);
          return [...cycle, start];
        }
        if (!previous.has(w)) {
          previous.set(w, v);
          queue.push(w);
        }
      }
    }
    return [start, start];
  });
}

describe("layering", () => {
  it("no import cycles in any package's sources (type-only imports count)", () => {
    const graph = new Map<string, string[]>();
    for (const file of allPackageSources()) {
      const targets = importsOf(readFileSync(file, "utf8"))
        .map((spec) => resolveRelative(file, spec))
        .filter((t): t is string => t !== undefined);
      graph.set(path.relative(ROOT, file), targets.map((t) => path.relative(ROOT, t)));
    }
    expect(graph.size).toBeGreaterThan(100);
    expect(importCycles(graph).map((c) => c.join(" → "))).toEqual([]);
  });

  it("finds the cycles it must refuse", () => {
    const g = new Map<string, string[]>([
      ["cli.ts", ["commands/index.ts", "command.ts"]],
      ["commands/index.ts", ["commands/check.ts"]],
      ["commands/check.ts", ["cli.ts", "command.ts"]],
      ["command.ts", []],
      ["self.ts", ["self.ts"]],
      ["a.ts", ["b.ts"]],
      ["b.ts", []],
    ]);
    expect(importCycles(g)).toEqual([
      ["cli.ts", "commands/index.ts", "commands/check.ts", "cli.ts"],
      ["self.ts", "self.ts"],
    ]);
  });

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
