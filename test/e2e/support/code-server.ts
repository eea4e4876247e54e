/**
 * Drives a real VS Code: code-server (installed by `.ci/setup-extra`, see scripts/e2e-tools.mjs)
 * serving a fresh user-data directory with the packaged extension installed, and Debian's Chromium
 * driven by playwright-core (nothing downloads a browser). Helpers act as a user would: keyboard,
 * command palette, clicks; every step can leave a screenshot.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
// A plain ES module, shared with scripts/e2e-preflight.mjs.
import { CHROMIUM, codeServerInstall } from "../../../scripts/e2e-tools.mjs";
import { CHROMIUM_FLAGS } from "./browser.js";

/** User settings of the fresh VS Code profile: no welcome page, no update or gallery traffic. */
const USER_SETTINGS = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "security.workspace.trust.enabled": false,
  "files.simpleDialog.enable": true,
  "editor.codeLens": true,
  "editor.minimap.enabled": false,
  // Inlay hints are text in the editor's lines: off, so that the lines read back are the document's.
  "editor.inlayHints.enabled": "off",
  "editor.hover.delay": 100,
  "editor.quickSuggestionsDelay": 10,
  "window.commandCenter": false,
  "chat.commandCenter.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      s.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** A running code-server and the browser page on its workbench. */
export interface Workbench {
  readonly page: Page;
  readonly userDir: string;
  /** Where the screenshots of this run go. */
  readonly shots: string;
  /** Saves a screenshot `<n>-<name>.png`. */
  shot(name: string): Promise<string>;
  /** Stops the browser and code-server. */
  close(): Promise<void>;
  /** code-server's output so far (for failure messages). */
  log(): string;
}

/** Installs `vsix` into a fresh profile, starts code-server on `folder`, opens it in Chromium. */
export async function startWorkbench(options: { vsix: string; folder: string; shots: string }): Promise<Workbench> {
  const install = codeServerInstall() as { entry: string; complete: string };
  if (!existsSync(install.complete)) throw new Error(`code-server is not installed at ${install.entry}: run .ci/setup-extra`);
  const home = mkdtempSync(join(tmpdir(), "maa-code-server-"));
  const userDir = join(home, "user-data");
  const extensions = join(home, "extensions");
  mkdirSync(join(userDir, "User"), { recursive: true });
  writeFileSync(join(userDir, "User", "settings.json"), JSON.stringify(USER_SETTINGS, null, 2));
  const env = { ...process.env, XDG_CONFIG_HOME: join(home, "config"), XDG_DATA_HOME: join(home, "data"), HOME: home };
  const installed = spawnSync(process.execPath, [install.entry, "--user-data-dir", userDir, "--extensions-dir", extensions, "--install-extension", options.vsix], {
    encoding: "utf8",
    env,
    timeout: 60_000,
  });
  if (installed.status !== 0 || !/successfully installed/.test(installed.stdout)) {
    throw new Error(`code-server --install-extension failed: ${installed.stdout}${installed.stderr}`);
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      install.entry,
      "--auth", "none",
      "--bind-addr", `127.0.0.1:${port}`,
      "--user-data-dir", userDir,
      "--extensions-dir", extensions,
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      options.folder,
    ],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (b: Buffer) => (output += b.toString()));
  child.stderr?.on("data", (b: Buffer) => (output += b.toString()));
  const deadline = Date.now() + 60_000;
  while (!/HTTP server listening/.test(output)) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}): ${output}`);
    if (Date.now() > deadline) throw new Error(`code-server did not listen in 60 s: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(join(home, "chromium"), {
      executablePath: CHROMIUM as string,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1400, height: 900 },
    });
  } catch (e) {
    child.kill("SIGKILL");
    throw e;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(options.folder)}`);
  await page.locator(".monaco-workbench").waitFor({ timeout: 90_000 });
  mkdirSync(options.shots, { recursive: true });
  let n = 0;
  return {
    page,
    userDir,
    shots: options.shots,
    async shot(name: string) {
      n++;
      const file = join(options.shots, `${String(n).padStart(2, "0")}-${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      await context.close().catch(() => undefined);
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => setTimeout(r, 500));
        if (child.exitCode === null) child.kill("SIGKILL");
      }
    },
    log: () => output,
  };
}

/** Runs a command from the command palette by its exact label (e.g. `MAA Policy: Show Policy Hash`). */
export async function runCommand(page: Page, label: string): Promise<void> {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor();
  await input.fill(`>${label}`);
  const row = page.locator(".quick-input-list .monaco-list-row", { has: page.locator(".label-name", { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
  await row.first().waitFor({ timeout: 15_000 });
  await row.first().click();
}

/** Picks an item of the open quick pick by its label. */
export async function pick(page: Page, label: string): Promise<void> {
  const row = page.locator(".quick-input-widget .quick-input-list .monaco-list-row", { has: page.locator(".label-name", { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
  await row.first().waitFor({ timeout: 15_000 });
  await row.first().click();
}

/** Answers the simple file dialog (files.simpleDialog) titled `title` with a path. */
export async function answerFileDialog(page: Page, title: string, path: string): Promise<void> {
  const dialog = page.locator(".quick-input-widget .quick-input-title", { hasText: title });
  await dialog.waitFor({ timeout: 15_000 });
  const input = page.locator(".quick-input-widget input");
  await input.waitFor();
  // The dialog resolves what is typed as it comes; on a busy machine an Enter pressed before that
  // is not taken (or is taken for a folder). So the answer is given again until the dialog closes.
  for (let attempt = 1; attempt <= 4; attempt++) {
    if ((await input.inputValue()) !== path) await input.fill(path);
    await page.waitForTimeout(300 * attempt);
    await input.press("Enter");
    try {
      await dialog.waitFor({ state: "hidden", timeout: 5_000 * attempt });
      return;
    } catch {
      // still open: answer again
    }
  }
  throw new Error(`the file dialog "${title}" did not take ${path}`);
}

/** Moves the cursor of the active editor to a 1-based line and column (Go to Line). */
export async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press("Control+G");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor();
  await input.fill(`:${line}:${column}`);
  await input.press("Enter");
  await page.locator(".quick-input-widget").waitFor({ state: "hidden" });
}

/** The status bar's cursor position, e.g. `Ln 4, Col 57`. */
export async function cursorPosition(page: Page): Promise<string> {
  return (await page.locator('[id="status.editor.selection"]').innerText()).trim();
}

/** The text of the lines the active editor shows, top to bottom. */
export async function visibleLines(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const editor = document.querySelector(".editor-group-container.active .monaco-editor .view-lines");
    if (!editor) return [];
    const lines = [...editor.querySelectorAll<HTMLElement>(".view-line")];
    lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
    return lines.map((l) => (l.textContent ?? "").replace(/\u00a0/g, " "));
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
