// Where the end-to-end tests find the programs that `.ci/setup-extra` installs outside the clone.
// Shared by `scripts/e2e-preflight.mjs` and the tests in test/e2e/, so that both look in one place.
import { existsSync, accessSync, constants } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** The code-server release the VS Code end-to-end test runs (the last line that runs on Node 20). */
export const CODE_SERVER_VERSION = "4.100.3";

/**
 * The cache that holds installs too slow to repeat on every CI run, keyed by version below it:
 * `$MAA_POLICY_E2E_CACHE`, else /var/cache/maa-policy-e2e when writable (CI runs as root), else
 * ~/.cache/maa-policy-e2e. `.ci/setup-extra` applies the same rule.
 */
export function e2eCacheDir() {
  const fromEnv = process.env["MAA_POLICY_E2E_CACHE"];
  if (fromEnv) return fromEnv;
  const system = "/var/cache/maa-policy-e2e";
  try {
    accessSync(existsSync(system) ? system : "/var/cache", constants.W_OK);
    return system;
  } catch {
    return join(homedir(), ".cache", "maa-policy-e2e");
  }
}

/** The code-server install: its folder, its entry script, and the marker written when it completed. */
export function codeServerInstall() {
  const root = join(e2eCacheDir(), `code-server-${CODE_SERVER_VERSION}`);
  const pkg = join(root, "node_modules", "code-server");
  return { root, pkg, entry: join(pkg, "out", "node", "entry.js"), complete: join(root, ".complete") };
}

/** Debian's Chromium, which playwright-core drives (nothing downloads a browser). */
export const CHROMIUM = "/usr/bin/chromium";
