#!/usr/bin/env node
// `npm run test:e2e` needs programs that npm does not install. Say which are missing and how to get
// them, and fail: an end-to-end suite whose program is missing fails, it never skips.
//
// To add one: an entry in REQUIRED (the command that proves it works, and who needs it), and its
// Debian package in DEBIAN_PACKAGES of .ci/setup-extra.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { CHROMIUM, CODE_SERVER_VERSION, codeServerInstall } from "./e2e-tools.mjs";

const codeServer = codeServerInstall();

/** @type {{ name: string, command: string, args: string[], what: string, ready?: () => boolean }[]} */
const REQUIRED = [
  { name: "nvim", command: "nvim", args: ["--version"], what: "Neovim (Debian package `neovim`): test/e2e/neovim.test.ts" },
  { name: "emacs", command: "emacs", args: ["--version"], what: "Emacs (Debian package `emacs-nox`): test/e2e/emacs.test.ts" },
  {
    name: "eglot",
    command: "emacs",
    args: ["--batch", "-q", "--eval", "(progn (package-initialize) (require 'eglot))"],
    what: "eglot for Emacs 28 (Debian package `elpa-eglot`): test/e2e/emacs.test.ts",
  },
  { name: "chromium", command: CHROMIUM, args: ["--version"], what: "Chromium (Debian package `chromium`), driven by playwright-core: test/e2e/vscode.test.ts, playground.test.ts, console.test.ts" },
  { name: "openssl", command: "openssl", args: ["version"], what: "OpenSSL (Debian package `openssl`), runs docs/signing.md: test/e2e/signing-doc.test.ts" },
  {
    name: `code-server ${CODE_SERVER_VERSION}`,
    command: process.execPath,
    args: [codeServer.entry, "--version"],
    ready: () => existsSync(codeServer.complete),
    what: `code-server, installed by .ci/setup-extra into ${codeServer.root}: test/e2e/vscode.test.ts`,
  },
];

const missing = REQUIRED.filter(({ command, args, ready }) => {
  if (ready && !ready()) return true;
  const r = spawnSync(command, args, { stdio: "ignore", timeout: 60_000 });
  return r.error !== undefined || r.status !== 0;
});

if (missing.length > 0) {
  console.error("test:e2e: these programs are missing:");
  for (const m of missing) console.error(`  - ${m.name}: ${m.what}`);
  console.error("install them with `.ci/setup-extra` (Debian, as root or with sudo), then run `npm run test:e2e` again");
  process.exit(1);
}
