#!/usr/bin/env node
// `npm run test:e2e` needs programs that npm does not install. Say which are missing and how to get
// them, and fail: an end-to-end suite whose program is missing fails, it never skips.
import { spawnSync } from "node:child_process";

const REQUIRED = [
  { command: "nvim", args: ["--version"], what: "Neovim (Debian package `neovim`): test/e2e/neovim.test.ts" },
];

const missing = REQUIRED.filter(({ command, args }) => {
  const r = spawnSync(command, args, { stdio: "ignore" });
  return r.error !== undefined || r.status !== 0;
});

if (missing.length > 0) {
  console.error("test:e2e: these programs are missing:");
  for (const m of missing) console.error(`  - ${m.command}: ${m.what}`);
  console.error("install them with `.ci/setup-extra` (Debian, as root or with sudo), then run `npm run test:e2e` again");
  process.exit(1);
}
