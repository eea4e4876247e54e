#!/usr/bin/env node
/**
 * Builds the extension into `dist/` with esbuild, ready for `vsce package --no-dependencies`:
 *
 * - `dist/extension.cjs`: the client (src/extension.ts), CommonJS, `vscode` left external;
 * - `dist/server.cjs`: the language server (packages/lsp-server/src/main.ts) with policy-core and
 *   every dependency bundled, from the TypeScript sources (no `tsc -b` needed first);
 * - `syntaxes/maa-policy.tmLanguage.json` and `language-configuration.json`, copied from grammar/.
 *
 * Options: `--skip-typecheck` (the default runs `tsc -p packages/vscode-ext --noEmit` first),
 * `--sourcemap` (external source maps, for debugging; they are not packaged).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROOT = path.resolve(PKG, "../..");
const DIST = path.join(PKG, "dist");
const args = new Set(process.argv.slice(2));
const require = createRequire(import.meta.url);

/**
 * Node of the oldest VS Code the manifest allows: 1.90 runs extensions on Node 20, which the server
 * needs (jose signs with the global Web Crypto API, absent from Node 18).
 */
const TARGET = "node20";

function fail(message) {
  process.stderr.write(`build: ${message}\n`);
  process.exit(1);
}

if (!args.has("--skip-typecheck")) {
  const tsc = require.resolve("typescript/bin/tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", path.join(PKG, "tsconfig.json"), "--noEmit"], { stdio: "inherit" });
  if (r.status !== 0) fail("type errors in packages/vscode-ext");
}

const serverEntry = path.join(ROOT, "packages", "lsp-server", "src", "main.ts");
if (!existsSync(serverEntry)) fail(`the language server entry ${path.relative(ROOT, serverEntry)} does not exist`);

/** Resolves `@maa-policy/core` to the TypeScript sources, so that the bundle needs no prior `tsc -b`. */
const coreFromSources = {
  name: "maa-policy-core-from-sources",
  setup(build) {
    build.onResolve({ filter: /^@maa-policy\/core$/ }, () => ({ path: path.join(ROOT, "packages", "policy-core", "src", "index.ts") }));
  },
};

rmSync(DIST, { recursive: true, force: true });
const common = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: TARGET,
  minify: true,
  keepNames: true,
  legalComments: "none",
  sourcemap: args.has("--sourcemap") ? "external" : false,
  logLevel: "warning",
  mainFields: ["module", "main"],
};

try {
  await esbuild.build({
    ...common,
    entryPoints: [path.join(PKG, "src", "extension.ts")],
    outfile: path.join(DIST, "extension.cjs"),
    external: ["vscode"],
  });
  await esbuild.build({
    ...common,
    entryPoints: [serverEntry],
    outfile: path.join(DIST, "server.cjs"),
    plugins: [coreFromSources],
    // The server passes its own URL to the analysis worker thread: give `import.meta.url` a value in CommonJS.
    banner: { js: 'var __maaPolicyServerUrl = require("url").pathToFileURL(__filename).href;' },
    define: { "import.meta.url": "__maaPolicyServerUrl" },
  });
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}

mkdirSync(path.join(PKG, "syntaxes"), { recursive: true });
copyFileSync(path.join(ROOT, "grammar", "maa-policy.tmLanguage.json"), path.join(PKG, "syntaxes", "maa-policy.tmLanguage.json"));
copyFileSync(path.join(ROOT, "grammar", "language-configuration.json"), path.join(PKG, "language-configuration.json"));

const kib = (f) => `${(statSync(path.join(DIST, f)).size / 1024).toFixed(0)} KiB`;
process.stdout.write(`build: dist/extension.cjs ${kib("extension.cjs")}, dist/server.cjs ${kib("server.cjs")}\n`);
