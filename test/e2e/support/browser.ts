/**
 * Debian's Chromium driven by playwright-core (nothing downloads a browser): the flags every
 * browser test uses, a fresh profile per launch, and screenshots under test-results/e2e/<suite>/.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

// A plain ES module, shared with scripts/e2e-preflight.mjs.
import { CHROMIUM } from "../../../scripts/e2e-tools.mjs";

/** The flags every browser test runs Chromium with: headless, no sandbox (root in CI), nothing that reaches the network. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly newPage: () => Promise<Page>;
  readonly screenshot: (page: Page, name: string) => Promise<void>;
  readonly close: () => Promise<void>;
}

/** Launches Chromium with a fresh --user-data-dir; screenshots go to test-results/e2e/<suite>/. */
export async function launchBrowser(suite: string, root: string): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), "maa-policy-chromium-"));
  const shots = join(root, "test-results", "e2e", suite);
  mkdirSync(shots, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    newPage: () => context.newPage(),
    screenshot: async (page, name) => {
      await page.screenshot({ path: join(shots, `${name}.png`) });
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
