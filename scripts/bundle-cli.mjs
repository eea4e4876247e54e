// Bundles the built CLI (packages/cli/dist/maa-policy.mjs, the file `maa-policy` runs, and the
// chunks it imports from packages/cli/dist/bundle/). Loading a few files instead of chevrotain's
// hundreds of ES modules makes start-up about three times faster, which is most of the time of a
// `maa-policy check` in CI. Each command is loaded when it runs (`commands/index.ts`), so the
// bundle is split: a command's own modules (the service's Fastify, the evidence verifier's X.509
// and ASN.1 for the commands that read evidence) are in chunks only that command loads.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "packages/cli/dist");
rmSync(path.join(dist, "bundle"), { recursive: true, force: true });
await build({
  entryPoints: { "maa-policy": path.join(dist, "main.js") },
  outdir: dist,
  entryNames: "[name]",
  chunkNames: "bundle/[name]-[hash]",
  outExtension: { ".js": ".mjs" },
  splitting: true,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
  // Some dependencies are CommonJS and call require(); give the ES module bundle one.
  banner: { js: 'import { createRequire as __maaCreateRequire } from "node:module"; const require = __maaCreateRequire(import.meta.url);' },
});
