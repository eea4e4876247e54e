// Builds the playground into dist/: index.html (the playground), console.html (the service
// console), app.js, app.css. Classic scripts, fonts inlined, workers inlined as Blob URLs: the
// folder works from file:// as from any static host. Prints the size.
import { build } from "esbuild";
import { readFileSync, mkdirSync, rmSync, writeFileSync, readdirSync, statSync, copyFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const out = join(here, "dist");
const require = createRequire(import.meta.url);
const monacoRoot = join(dirname(require.resolve("monaco-editor")), "..", "..");

/**
 * Node built-ins policy-core's JWS code imports. Only the unsigned pack and the policy hash run in
 * the browser: `createHash("sha256")` is @noble/hashes' SHA-256; signing needs a key and a file
 * system and is the CLI's job, so those names say so when called.
 */
const nodeBuiltins = {
  name: "node-builtins",
  setup(b) {
    b.onResolve({ filter: /^node:(crypto|buffer)$/ }, (args) => ({ path: args.path, namespace: "node-builtin" }));
    b.onLoad({ filter: /.*/, namespace: "node-builtin" }, (args) => ({
      resolveDir: here,
      loader: "js",
      contents: args.path === "node:crypto" ? `export * from "./src/browser-crypto.ts";` : `export const Buffer = undefined;`,
    }));
  },
};

/** Monaco's editor with every contribution of editor.main.js and none of its languages. */
const monacoEditor = {
  name: "monaco-editor-core",
  setup(b) {
    b.onResolve({ filter: /^virtual:monaco$/ }, () => ({ path: "monaco", namespace: "virtual" }));
    b.onLoad({ filter: /.*/, namespace: "virtual" }, () => {
      const main = readFileSync(join(monacoRoot, "esm/vs/editor/editor.main.js"), "utf8");
      const contribs = main.split("\n").filter((l) => /^import '\.\/(contrib|browser)\/|^import '\.\.\/base\/.*\.css'/.test(l));
      return { resolveDir: join(monacoRoot, "esm/vs/editor"), loader: "js", contents: `${contribs.join("\n")}\nexport * from './editor.api.js';\n` };
    });
  },
};

const common = {
  bundle: true,
  minify: true,
  format: "iife",
  platform: "browser",
  target: "es2022",
  logLevel: "warning",
  legalComments: "none",
  alias: { "vscode-languageserver": "vscode-languageserver/browser" },
  plugins: [nodeBuiltins, monacoEditor],
  loader: { ".ttf": "dataurl" },
};

async function workerText(entry) {
  const r = await build({ ...common, entryPoints: [entry], write: false });
  return r.outputFiles[0].text;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const analysisWorker = await workerText(join(here, "src/analysis-worker.ts"));
const editorWorker = await workerText(join(monacoRoot, "esm/vs/editor/editor.worker.start.js"));

const examples = {};
for (const f of ["sgx.policy", "sgx.claims.json", "tpm.policy", "tpm.claims.json", "evidence/sgx-release.policy"]) {
  examples[f] = readFileSync(join(root, "examples", f), "utf8");
}

await build({
  ...common,
  entryPoints: { app: join(here, "src/main.ts"), console: join(here, "src/console.ts") },
  outdir: out,
  define: {
    __ANALYSIS_WORKER__: JSON.stringify(analysisWorker),
    __EDITOR_WORKER__: JSON.stringify(editorWorker),
    __EXAMPLES__: JSON.stringify(examples),
  },
});
for (const page of ["index.html", "console.html"]) copyFileSync(join(here, "src", page), join(out, page));

let total = 0;
const lines = [];
for (const f of readdirSync(out)) {
  const size = statSync(join(out, f)).size;
  total += size;
  lines.push(`  ${f.padEnd(14)} ${(size / 1024).toFixed(1).padStart(8)} KiB`);
}
console.log(`playground: ${join("packages", "playground", "dist")}\n${lines.join("\n")}\n  total          ${(total / 1024).toFixed(1).padStart(8)} KiB`);
writeFileSync(join(out, "build-size.json"), JSON.stringify({ bytes: total }) + "\n");
