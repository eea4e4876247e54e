/**
 * The extension in a real VS Code: code-server 4.100.3 (Code 1.100) with the packaged `.vsix`
 * installed by `--install-extension`, driven from Debian's headless Chromium through
 * playwright-core, as a user would drive it (keyboard, command palette, clicks). The workspace
 * holds a policy with two mistakes (an unknown action, a claim type with a trailing space) and its
 * claims file. Each step leaves a screenshot in test-results/e2e/vscode/ (the CI artifact).
 *
 * Needs `.ci/setup-extra` (code-server, chromium); fails, never skips, without them.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeSigner } from "../jwt/support/certs.js";
import { answerFileDialog, cursorPosition, goTo, pick, runCommand, startWorkbench, visibleLines, type Workbench } from "./support/code-server.js";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const CLI = join(ROOT, "packages", "cli", "dist", "main.js");
const EXT = join(ROOT, "packages", "vscode-ext");
const SHOTS = join(ROOT, "test-results", "e2e", "vscode");
const manifest = JSON.parse(readFileSync(join(EXT, "package.json"), "utf8")) as {
  version: string;
  contributes: { commands: { command: string; title: string; category: string }[] };
};

// Two mistakes: `premit` (P1007, an error with a fix) on line 4 and the claim type with a trailing
// space (P2022, a warning) on line 9; line 10 is not formatted.
const POLICY = `version=1.2;
authorizationrules
{
    c:[type=="x-ms-sgx-is-debuggable", value==false] => premit();
};
issuancerules
{
    c:[type=="x-ms-sgx-mrsigner"] => issue(type="signer", value=c.value);
    c:[type=="x-ms-sgx-svn "] => issue(claim=c);
    c:[type=="custom"]=>issue(claim = c);
};
`;

// Forty custom claims: each is issued, so the evaluation report is far longer than the screen.
const claims = (debuggable: boolean) =>
  JSON.stringify(
    [
      { type: "x-ms-sgx-is-debuggable", value: debuggable },
      { type: "x-ms-sgx-mrsigner", value: "c0ffee" },
      ...Array.from({ length: 40 }, (_, i) => ({ type: "custom", value: `value-${i}` })),
    ],
    null,
    2,
  );

const cli = (...args: string[]) => execFileSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

let wb: Workbench;
let dir: string;
let policyPath: string;
let claimsPath: string;
const ran = new Set<string>();

const lens = () => wb.page.locator(".editor-group-container .monaco-editor .codelens-decoration a").first();
const disk = () => readFileSync(policyPath, "utf8");

async function focusPolicy(): Promise<void> {
  await wb.page.getByRole("treeitem", { name: "sgx.policy" }).first().click();
  await wb.page.locator('.tab.active[aria-label^="sgx.policy"]').first().waitFor();
  await wb.page.locator(".editor-group-container.active .monaco-editor textarea").first().focus();
}

/** Waits until the policy's editor shows `text`, saves it, and waits until the file holds it. */
async function saveWhenShowing(text: string): Promise<void> {
  await expect.poll(async () => (await visibleLines(wb.page)).join("\n"), { timeout: 20_000 }).toBe(text);
  await wb.page.keyboard.press("Control+S");
  await expect.poll(disk, { timeout: 15_000 }).toBe(text);
}

async function command(id: string): Promise<void> {
  const c = manifest.contributes.commands.find((x) => x.command === id);
  if (!c) throw new Error(`${id} is not in the manifest`);
  await runCommand(wb.page, `${c.category}: ${c.title}`);
  ran.add(id);
}

/** The text of the newest untitled editor (where a token lands). */
async function untitledText(): Promise<string> {
  // An untitled editor is named after its first line: the token.
  await wb.page.locator('.tab.active[aria-label^="eyJ"]').first().waitFor({ timeout: 15_000 });
  await expect.poll(async () => (await visibleLines(wb.page)).join("").length, { timeout: 15_000 }).toBeGreaterThan(20);
  return (await visibleLines(wb.page)).join("\n");
}

function jwsHeader(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

beforeAll(async () => {
  execFileSync("npm", ["run", "package", "--silent"], { cwd: ROOT, stdio: "ignore" });
  rmSync(SHOTS, { recursive: true, force: true });
  dir = mkdtempSync(join(tmpdir(), "maa-vscode-ws-"));
  policyPath = join(dir, "sgx.policy");
  claimsPath = join(dir, "sgx.claims.json");
  writeFileSync(policyPath, POLICY);
  writeFileSync(claimsPath, claims(false));
  const signer = await makeSigner({ cn: "maa-policy e2e" });
  writeFileSync(join(dir, "signer.key"), signer.keyPem);
  writeFileSync(join(dir, "signer.pem"), signer.certPem);
  const vsix = join(tmpdir(), `maa-policy-e2e-${process.pid}.vsix`);
  copyFileSync(join(EXT, `maa-policy-${manifest.version}.vsix`), vsix);
  wb = await startWorkbench({ vsix, folder: dir, shots: SHOTS });
}, 240_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail" && wb) await wb.shot(`FAILED-${ctx.task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}`);
});

afterAll(async () => {
  await wb?.close();
});

describe("VS Code (code-server) with the packaged extension", () => {
  it("opens the policy in the MAA Attestation Policy language mode", async () => {
    await focusPolicy();
    await expect.poll(() => wb.page.locator('[id="status.editor.mode"]').innerText(), { timeout: 30_000 }).toContain("MAA Attestation Policy");
    await wb.shot("language-mode");
  });

  it("highlights keywords, strings and actions in their own colours", async () => {
    const colours = async () =>
      wb.page.evaluate(() => {
        const out: Record<string, string> = {};
        for (const span of document.querySelectorAll<HTMLElement>(".editor-group-container.active .view-line span span")) {
          const text = (span.textContent ?? "").trim();
          if (text && !(text in out)) out[text] = getComputedStyle(span).color;
        }
        return out;
      });
    await expect.poll(async () => Object.keys(await colours()).length, { timeout: 15_000 }).toBeGreaterThan(10);
    const c = await colours();
    const keyword = c["authorizationrules"];
    const string = c['"x-ms-sgx-is-debuggable"'];
    const brace = c["{"];
    expect(keyword).toBeDefined();
    expect(string).toBeDefined();
    expect(brace).toBeDefined();
    expect(new Set([keyword, string, brace]).size).toBe(3);
    await wb.shot("highlighting");
  });

  it("lists both mistakes in the Problems panel with their codes and positions", async () => {
    await wb.page.keyboard.press("Control+Shift+M");
    const panel = wb.page.locator(".markers-panel");
    await expect.poll(() => panel.innerText(), { timeout: 30_000 }).toContain("P2022");
    const text = await panel.innerText();
    expect(text).toMatch(/unknown action `premit`[\s\S]*P1007[\s\S]*\[Ln 4, Col 57\]/);
    expect(text).toMatch(/trailing spaces[\s\S]*P2022[\s\S]*\[Ln 9, Col 14\]/);
    await wb.shot("problems");
    await wb.page.keyboard.press("Control+J");
    await wb.page.locator(".markers-panel").waitFor({ state: "hidden" });
  });

  it("a code lens that cannot evaluate leads to the first error instead of running", async () => {
    await focusPolicy();
    await goTo(wb.page, 1, 1);
    await expect.poll(() => lens().innerText(), { timeout: 30_000 }).toMatch(/^Evaluate with sgx\.claims\.json: cannot run \(the policy has errors and cannot be evaluated: P1007/);
    await wb.shot("lens-cannot-run");
    await lens().click();
    // The first error, `premit` (line 4, columns 57 to 63), is selected.
    await expect.poll(() => cursorPosition(wb.page), { timeout: 10_000 }).toBe("Ln 4, Col 63 (6 selected)");
    expect(await wb.page.locator('.tab[aria-label^="Evaluation of sgx.policy"]').count()).toBe(0);
    expect(await wb.page.locator(".notifications-toasts .notification-toast").count()).toBe(0);
    await wb.shot("lens-went-to-error");
  });

  it("shows the claim's documentation on hover", async () => {
    await goTo(wb.page, 4, 20);
    await wb.page.keyboard.press("Control+K");
    await wb.page.keyboard.press("Control+I");
    const hover = wb.page.locator(".monaco-hover:not(.hidden)").first();
    await expect.poll(() => hover.innerText(), { timeout: 15_000 }).toContain("x-ms-sgx-is-debuggable");
    expect((await hover.innerText()).length).toBeGreaterThan(40);
    await wb.shot("hover");
    await wb.page.keyboard.press("Escape");
  });

  it("completes a claim type", async () => {
    await goTo(wb.page, 9, 15);
    await wb.page.keyboard.press("Control+Space");
    const rows = wb.page.locator(".suggest-widget .monaco-list-row");
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(3);
    const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? ""));
    expect(labels.some((l) => l.includes("x-ms-sgx-mrsigner"))).toBe(true);
    await wb.shot("completion");
    await wb.page.keyboard.press("Escape");
  });

  it("applies a quick fix", async () => {
    await goTo(wb.page, 4, 58);
    await wb.page.keyboard.press("Control+.");
    const item = wb.page.locator(".action-widget .monaco-list-row", { hasText: "permit" }).first();
    await item.waitFor({ timeout: 15_000 });
    await wb.shot("quick-fix-menu");
    // The menu opens with its first action focused: the fix, the only one here.
    expect(await wb.page.locator(".action-widget .monaco-list-row.action").count()).toBe(1);
    await wb.page.keyboard.press("Enter");
    await saveWhenShowing(POLICY.replace("premit()", "permit()"));
    await wb.shot("quick-fix-applied");
  });

  it("Format Document gives what `maa-policy fmt` gives", async () => {
    const expected = cli("fmt", policyPath);
    expect(expected).not.toBe(disk());
    await runCommand(wb.page, "Format Document");
    await saveWhenShowing(expected);
    await wb.shot("format-document");
  });

  it("the Evaluate with… lens shows the decision and follows the claims file", async () => {
    await goTo(wb.page, 1, 1);
    await expect.poll(() => lens().innerText(), { timeout: 30_000 }).toBe("Evaluate with sgx.claims.json: permit (41 claims issued)");
    await wb.shot("lens-permit");
    writeFileSync(claimsPath, claims(true));
    await expect.poll(() => lens().innerText(), { timeout: 30_000 }).toBe("Evaluate with sgx.claims.json: deny");
    await wb.shot("lens-deny");
    writeFileSync(claimsPath, claims(false));
    await expect.poll(() => lens().innerText(), { timeout: 30_000 }).toMatch(/: permit/);
  });

  it("Evaluate against Claims or Evidence File… opens the report at its decision", async () => {
    await command("maa-policy.evaluate");
    await answerFileDialog(wb.page, "Claims or evidence file to evaluate the policy against", claimsPath);
    const tab = wb.page.locator('.tab[aria-label^="Evaluation of sgx.policy"]');
    await tab.first().waitFor({ timeout: 20_000 });
    const lines = await wb.page.evaluate(() => {
      const editor = [...document.querySelectorAll(".editor-group-container")].find((g) => g.querySelector('.tab.active[aria-label^="Evaluation of sgx.policy"]'));
      const rows = [...(editor?.querySelectorAll<HTMLElement>(".view-line") ?? [])];
      rows.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
      return rows.map((r) => (r.textContent ?? "").replace(/\u00a0/g, " "));
    });
    expect(lines[0]).toBe(`Policy: ${policyPath}`);
    expect(lines[2]).toBe("Decision: PERMIT");
    // The report is longer than the screen, and its end is not what is shown.
    expect(lines.some((l) => l.startsWith("Trace:"))).toBe(false);
    await wb.shot("evaluate-report");
  });

  it("Show Policy Hash shows the hash `maa-policy hash` prints", async () => {
    await focusPolicy();
    await command("maa-policy.showHash");
    const toast = wb.page.locator(".notifications-toasts .notification-toast", { hasText: "x-ms-policy-hash" }).first();
    await toast.waitFor({ timeout: 15_000 });
    const expected = cli("hash", policyPath).trim().split(/\s+/).pop() ?? "";
    expect(await toast.innerText()).toContain(`x-ms-policy-hash: ${expected}`);
    await wb.shot("show-hash");
    await wb.page.keyboard.press("Escape");
  });

  it("Pack as Unsigned JWS opens the token `maa-policy pack` makes", async () => {
    await focusPolicy();
    await command("maa-policy.packUnsigned");
    await pick(wb.page, "Open in a new editor");
    expect(await untitledText()).toBe(cli("pack", policyPath).trim());
    await wb.shot("pack-unsigned");
  });

  it("Sign… signs with the picked key, certificate and algorithm", async () => {
    await focusPolicy();
    await command("maa-policy.sign");
    await answerFileDialog(wb.page, "Signing key (PEM private key)", join(dir, "signer.key"));
    await answerFileDialog(wb.page, "Signing certificate(s) (PEM), signer first", join(dir, "signer.pem"));
    await pick(wb.page, "RS256");
    await pick(wb.page, "Open in a new editor");
    const token = await untitledText();
    expect(token.split(".")).toHaveLength(3);
    const header = jwsHeader(token);
    expect(header["alg"]).toBe("RS256");
    const pem = readFileSync(join(dir, "signer.pem"), "utf8").replace(/-----[^-]+-----|\s/g, "");
    expect(header["x5c"]).toEqual([pem]);
    await wb.shot("sign");
  });

  it("Format (the extension's command) formats the policy", async () => {
    await focusPolicy();
    const expected = disk();
    await goTo(wb.page, 1, 13);
    await wb.page.keyboard.type("   ");
    const messy = expected.replace("version=1.2;", "version=1.2;   ");
    await saveWhenShowing(messy);
    await command("maa-policy.format");
    await saveWhenShowing(expected);
    await wb.shot("format-command");
  });

  it("Compare with… shows the report `maa-policy diff --format markdown` prints", async () => {
    const older = join(dir, "older.policy");
    writeFileSync(older, disk().replace("version=1.2;", "version=1.2;\n// an older copy"));
    await focusPolicy();
    await command("maa-policy.compare");
    await answerFileDialog(wb.page, "Policy to compare with (the old version)", older);
    // A new untitled Markdown editor, named after its first line.
    await wb.page.locator('.tab.active[aria-label^="### Policy diff"]').first().waitFor({ timeout: 30_000 });
    // The editor wraps long lines: compare the text with its line breaks as spaces.
    const text = (await visibleLines(wb.page)).join("\n").replace(/\s+/g, " ");
    expect(text).toContain("### Policy diff: `older.policy` → `sgx.policy`");
    expect(text).toContain("**Equivalent**: the rules are the same: only layout and comments differ.");
    await wb.shot("compare-with");
  });

  it("every command of the manifest was run through the palette", () => {
    expect([...ran].sort()).toEqual(manifest.contributes.commands.map((c) => c.command).sort());
  });

  it("a setting changed in the Settings editor takes effect (format width)", async () => {
    await wb.page.keyboard.press("Control+,");
    const search = wb.page.locator(".settings-editor .suggest-input-container textarea, .settings-editor .search-container input").first();
    await search.waitFor({ timeout: 20_000 });
    await search.fill("maa-policy.format.width");
    const input = wb.page.locator('.settings-editor .setting-item-contents:has-text("Format: Width") input').first();
    await input.waitFor({ timeout: 20_000 });
    await input.fill("40");
    await input.press("Tab");
    await expect
      .poll(() => JSON.parse(readFileSync(join(wb.userDir, "User", "settings.json"), "utf8"))["maa-policy.format.width"], { timeout: 15_000 })
      .toBe(40);
    await wb.shot("settings-width");
    await focusPolicy();
    const expected = cli("fmt", "--width", "40", policyPath);
    expect(expected).not.toBe(disk());
    await runCommand(wb.page, "Format Document");
    await saveWhenShowing(expected);
    await wb.shot("width-40-formatted");
  });
});
