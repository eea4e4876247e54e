#!/usr/bin/env node
// The installed `maa-policy-lsp` command. It is committed (not built) so that `npm ci` can link it
// before the first build; it runs the tsc output.
import { existsSync } from "node:fs";

const main = new URL("../dist/main.js", import.meta.url);
if (existsSync(main)) await import(main.href);
else {
  process.stderr.write("maa-policy-lsp: not built yet: run `npm run build` in the repository first\n");
  process.exitCode = 2;
}
