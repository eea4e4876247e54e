#!/usr/bin/env node
// The installed `maa-policy` command. It is committed (not built) so that `npm ci` can link it
// before the first build; it runs the single-file bundle, or the tsc output when there is none.
import { existsSync } from "node:fs";

const bundle = new URL("../dist/maa-policy.mjs", import.meta.url);
const plain = new URL("../dist/main.js", import.meta.url);
if (existsSync(bundle)) await import(bundle.href);
else if (existsSync(plain)) await import(plain.href);
else {
  process.stderr.write("maa-policy: not built yet: run `npm run build` in the repository first\n");
  process.exitCode = 2;
}
