// Bundles the built CLI into one file (packages/cli/dist/maa-policy.mjs), the file `maa-policy`
// runs. Loading one file instead of chevrotain's hundreds of ES modules makes start-up about
// three times faster, which is most of the time of a `maa-policy check` in CI.
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
await build({
  entryPoints: [path.join(root, "packages/cli/dist/main.js")],
  outfile: path.join(root, "packages/cli/dist/maa-policy.mjs"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
  // Some dependencies are CommonJS and call require(); give the ES module bundle one.
  banner: { js: 'import { createRequire as __maaCreateRequire } from "node:module"; const require = __maaCreateRequire(import.meta.url);' },
});
