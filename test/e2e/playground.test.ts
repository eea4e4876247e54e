/**
 * The playground in Debian's Chromium, opened from disk (file://) as `npm run build:playground`
 * leaves it: markers and messages, completion, a quick fix, the SGX example evaluated, a real quote
 * dropped and appraised, a share link reopened, keyboard only, 400 px wide, and the time from a
 * keystroke to its marker next to the same measurement of an empty Monaco edit (the reference).
 */
import { execFile, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type BrowserSession } from "./support/browser.js";

const ROOT = join(import.meta.dirname, "..", "..");
const DIST = join(ROOT, "packages", "playground", "dist");
const PAGE_URL = pathToFileURL(join(DIST, "index.html")).href;
const SHOTS = join(ROOT, "test-results", "e2e", "playground");

let session: BrowserSession;
let page: Page;

async function open(p: Page, url: string): Promise<void> {
  await p.goto(url);
  await p.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
}

const value = (p: Page) => p.evaluate(() => (window as any).playground.model.getValue() as string);
const markers = (p: Page) =>
  p.evaluate(() => {
    const pg = (window as any).playground;
    return (pg.monaco.editor.getModelMarkers({ resource: pg.model.uri }) as { message: string; code: unknown; startLineNumber: number }[]).map((m) => ({
      message: m.message,
      line: m.startLineNumber,
    }));
  });
async function setCursor(p: Page, lineNumber: number, column: number): Promise<void> {
  await p.evaluate(([l, c]) => {
    const e = (window as any).playground.editor;
    e.setPosition({ lineNumber: l, column: c });
    e.focus();
  }, [lineNumber, column] as const);
}
/** Waits until the worker has analysed the current text and evaluated it. */
async function settled(p: Page): Promise<void> {
  await p.waitForFunction(() => document.body.dataset["analysedVersion"] === String((window as any).playground.model.getVersionId()));
}
async function chooseExample(p: Page, name: string): Promise<void> {
  await p.selectOption("#example", name);
  await settled(p);
}

beforeAll(async () => {
  const build = spawnSync(process.execPath, [join(ROOT, "packages", "playground", "build.mjs")], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`build:playground failed:\n${build.stdout}\n${build.stderr}`);
  session = await launchBrowser("playground", ROOT);
  page = await session.newPage();
  await open(page, PAGE_URL);
});

afterAll(async () => {
  await session?.close();
});

describe("the playground from file://", () => {
  it("shows a mistake's marker and message as it is typed", async () => {
    await chooseExample(page, "sgx.policy");
    expect(await markers(page)).toEqual([]);
    // `authorizationrules` on line 8: delete its second `i` (column 11).
    await setCursor(page, 8, 11);
    await page.keyboard.press("Delete");
    await settled(page);
    expect(await value(page)).toContain("authorizatonrules");
    const ms = await markers(page);
    expect(ms).toEqual([{ line: 8, message: expect.stringContaining("unknown section `authorizatonrules`: did you mean `authorizationrules`?") }]);
    await page.waitForSelector(".squiggly-error");
    await page.keyboard.press("F8");
    const widget = await page.waitForSelector(".marker-widget");
    expect(await widget.innerText()).toContain("unknown section `authorizatonrules`");
    await session.screenshot(page, "01-marker");
    await page.keyboard.press("Escape");
  });

  it("applies the quick fix", async () => {
    await setCursor(page, 8, 5);
    await page.keyboard.press("Control+.");
    const item = await page.waitForSelector(".action-widget .monaco-list-row:has-text('replace with `authorizationrules`')");
    await session.screenshot(page, "02-quick-fix");
    await page.keyboard.press("Enter");
    await settled(page);
    expect(await value(page)).toContain("\nauthorizationrules\n");
    expect(await markers(page)).toEqual([]);
  });

  it("completes a claim type", async () => {
    await setCursor(page, 11, 200);
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await page.keyboard.type('[type=="x-ms-sgx-mrsi', { delay: 20 });
    await page.keyboard.press("Control+Space");
    const row = await page.waitForSelector(".suggest-widget .monaco-list-row:has-text('x-ms-sgx-mrsigner')");
    await session.screenshot(page, "03-completion");
    expect(await row.innerText()).toContain("x-ms-sgx-mrsigner");
    await page.keyboard.press("Enter");
    await settled(page);
    expect((await value(page)).split("\n")[11]).toContain('[type=="x-ms-sgx-mrsigner"');
  });

  it("evaluates the bundled SGX example: permit and its claims", async () => {
    await chooseExample(page, "sgx.policy");
    await page.click("#evaluate");
    await page.waitForFunction(() => document.getElementById("decision")?.textContent === "permit");
    const issued = await page.innerText("#issued");
    for (const t of ["is-debuggable", "sgx-mrsigner", "sgx-mrenclave", "product-id", "svn", "tee"]) expect(issued).toContain(t);
    expect(await page.innerText("#trace")).toContain("authorizationrules #3: fired (permit)");
    await session.screenshot(page, "04-sgx-permit");
  });

  it("highlights the rule under the cursor in the trace, and jumps to a trace rule", async () => {
    await setCursor(page, 12, 8); // `=> permit();`, the third authorization rule
    await page.waitForSelector("#trace button.current:has-text('authorizationrules #3')");
    await page.click("#trace button:has-text('issuancerules #2')");
    const sel = await page.evaluate(() => (window as any).playground.editor.getSelection().startLineNumber as number);
    expect(sel).toBe(18);
    await page.waitForSelector("#trace button.current:has-text('issuancerules #2')");
    await session.screenshot(page, "05-trace");
  });

  it("packs the policy and gives its hash", async () => {
    await page.click("#pack");
    await page.waitForSelector("#pack-out:not([hidden])");
    const token = await page.innerText("#packed");
    expect(token.split(".")).toHaveLength(3);
    expect(JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString())).toEqual({ alg: "none" });
    const { policyHash } = await import("@maa-policy/core");
    expect(await page.innerText("#hash")).toBe(policyHash(await value(page)));
  });

  it("appraises a dropped real SGX quote and shows its claims", async () => {
    await chooseExample(page, "evidence/sgx-release.policy");
    await page.check("#mode-evidence");
    await page.selectOption("#type", "SgxEnclave");
    await page.fill("#at", "2020-09-29T17:49:05Z");
    const quote = readFileSync(join(ROOT, "examples", "evidence", "restspec-2020.sgx-quote.bin"));
    await page.setInputFiles("#runtime-file", join(ROOT, "examples", "evidence", "restspec-2020.runtime-data.bin"));
    // A real drop: a DataTransfer with the quote's bytes, dropped on the zone.
    await page.evaluate((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], "restspec-2020.sgx-quote.bin"));
      document.getElementById("evidence-drop")!.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, quote.toString("base64"));
    await page.waitForSelector("#evidence-file-name:has-text('4580 bytes')");
    await page.waitForSelector("#evidence-result:has-text('SgxEnclave evidence verified')", { timeout: 60_000 });
    expect(await page.textContent("#decision")).toBe("permit");
    const token = JSON.parse(await page.innerText("#token")) as Record<string, unknown>;
    expect(token["x-ms-sgx-product-id"]).toBe(4639);
    expect(token["x-ms-sgx-svn"]).toBe(1);
    await session.screenshot(page, "06-evidence");
  });

  it("reopens a share link in a new page with the same state", async () => {
    await page.evaluate(() => {
      (document.getElementById("share-url") as HTMLInputElement).value = "";
    });
    await page.click("#share");
    // The link is made asynchronously (the state is compressed): wait for it, not for the click.
    await page.waitForFunction(() => /#s=/.test((document.getElementById("share-url") as HTMLInputElement | null)?.value ?? ""), undefined, { timeout: 30_000 });
    const url = await page.inputValue("#share-url");
    expect(url).toMatch(/#s=[A-Za-z0-9_-]+$/);
    const other = await session.newPage();
    await open(other, url);
    expect(await value(other)).toBe(await value(page));
    expect(await other.isChecked("#mode-evidence")).toBe(true);
    expect(await other.inputValue("#at")).toBe("2020-09-29T17:49:05Z");
    await other.waitForFunction(() => document.getElementById("decision")?.textContent === "permit", undefined, { timeout: 60_000 });
    expect(await other.innerText("#token")).toBe(await page.innerText("#token"));
    await session.screenshot(other, "07-shared");
    await other.close();
  });

  it("can be used with a keyboard only", async () => {
    await open(page, PAGE_URL);
    await page.keyboard.press("Tab");
    const reached: string[] = [];
    for (let i = 0; i < 40; i++) {
      const id = await page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        return a?.id || a?.closest("[id]")?.id || a?.tagName || "";
      });
      reached.push(id);
      if (id === "evaluate") break;
      // Monaco keeps Tab for indentation; Ctrl+M makes Tab move the focus (its documented key).
      if (id === "editor" && !reached.slice(0, -1).includes("editor")) await page.keyboard.press("Control+m");
      await page.keyboard.press("Tab");
    }
    for (const id of ["example", "format", "pack", "share", "console-link", "editor", "mode-claims", "type", "claims", "evaluate"]) expect(reached).toContain(id);
    const before = await page.evaluate(() => document.body.dataset["evaluated"]);
    await page.keyboard.press("Enter");
    // Wait for this evaluation's results: they replace the trace the Tab goes to.
    await page.waitForFunction((b) => document.body.dataset["evaluated"] !== b, before);
    expect(await page.textContent("#decision")).toBe("permit");
    await page.keyboard.press("Tab");
    const traceFocus = await page.evaluate(() => document.activeElement?.closest("#trace") !== null);
    expect(traceFocus).toBe(true);
    await page.keyboard.press("Enter");
    const inEditor = await page.evaluate(() => document.activeElement?.closest("#editor") !== null);
    expect(inEditor).toBe(true);
    await session.screenshot(page, "08-keyboard");
  });

  it("fits 400 px", async () => {
    await page.setViewportSize({ width: 400, height: 900 });
    await open(page, PAGE_URL);
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, editor: document.getElementById("editor")!.getBoundingClientRect().width }));
    expect(widths.doc).toBeLessThanOrEqual(400);
    expect(widths.editor).toBeGreaterThan(300);
    await page.waitForFunction(() => document.getElementById("decision")?.textContent === "permit");
    await session.screenshot(page, "09-400px");
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("measures keystroke to marker, next to an empty Monaco edit", async () => {
    await open(page, PAGE_URL);
    const N = 30;
    const result = await page.evaluate(async (n) => {
      const { monaco, editor, model } = (window as any).playground;
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));
      // Reference: an empty plain-text Monaco editor; keystroke to the edit rendered.
      const host = document.createElement("div");
      host.style.cssText = "position:fixed;left:0;top:0;width:400px;height:200px";
      document.body.append(host);
      const plain = monaco.editor.create(host, { value: "", language: "plaintext", minimap: { enabled: false } });
      const reference: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        plain.trigger("keyboard", "type", { text: "a" });
        await frame();
        reference.push(performance.now() - t0);
      }
      plain.dispose();
      host.remove();
      // The policy: keystroke (an `x` that makes or unmakes a mistake) to the markers set.
      editor.setPosition({ lineNumber: 8, column: 1 });
      const policy: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        const done = new Promise<void>((r) => {
          const d = monaco.editor.onDidChangeMarkers(() => (d.dispose(), r()));
        });
        if (i % 2 === 0) editor.trigger("keyboard", "type", { text: "x" });
        else editor.trigger("keyboard", "deleteLeft", null);
        await done;
        await frame();
        policy.push(performance.now() - t0);
      }
      void model;
      return { samples: n, referenceMedianMs: median(reference), markerMedianMs: median(policy) };
    }, N);
    writeFileSync(join(SHOTS, "timing.json"), JSON.stringify(result, null, 2) + "\n");
    console.log(`keystroke to marker: median ${result.markerMedianMs.toFixed(1)} ms; empty Monaco edit (reference): median ${result.referenceMedianMs.toFixed(1)} ms; ${N} samples each`);
    expect(result.samples).toBe(N);
    expect(result.markerMedianMs).toBeGreaterThan(0);
  });
});

describe("the service console, served by the service", () => {
  it("lists a policy set through the REST API and an attestation made with curl, updating live", async () => {
    const { startService } = await import("@maa-policy/service");
    const { policyHash, packPolicy } = await import("@maa-policy/core");
    const keys = join(ROOT, "packages", "service", "test", "fixtures", "keys");
    let k = 0;
    const s = await startService({ inMemory: true, http: true, port: 0, now: new Date("2022-05-31T22:50:28Z"), generateKey: async () => readFileSync(join(keys, `test-key-${(k++ % 8) + 1}.pem`), "utf8") });
    try {
      const contributor = await s.mintToken("Contributor");
      const policy = readFileSync(join(ROOT, "examples", "service", "policy.txt"), "utf8");
      const jws = (await packPolicy(policy)).token;
      // curl runs asynchronously: the service answers from this process's event loop.
      const curl = (...args: string[]) =>
        new Promise<string>((resolve, reject) => {
          execFile("curl", ["-sS", "--fail-with-body", "--max-time", "60", ...args], { encoding: "utf8" }, (err, stdout, stderr) =>
            err ? reject(new Error(`curl ${args.slice(0, 2).join(" ")}: ${stdout}${stderr}`)) : resolve(stdout),
          );
        });
      await curl("-X", "PUT", "-H", `Authorization: Bearer ${contributor}`, "-H", "Content-Type: text/plain", "--data-binary", jws, `${s.url}/aad/policies/SgxEnclave?api-version=2022-08-01`);
      const p = await session.newPage();
      await p.goto(`${s.url}/`);
      await p.fill("#token", contributor);
      await p.click("#connect");
      const summary = await p.waitForSelector(".provider[data-name=aad] details[data-type=SgxEnclave] summary");
      expect(await summary.innerText()).toContain(policyHash(policy));
      expect(await summary.innerText()).toContain("unsigned");
      expect(await p.innerText(".provider[data-name=aad]")).toContain("trust model AAD");
      await p.waitForSelector("#attestations:has-text('none yet')");
      // The attestation is made after the page loaded: the list updates by itself.
      await curl("-X", "POST", "-H", "Content-Type: application/json", "--data-binary", `@${join(ROOT, "examples", "service", "attest-sgx.json")}`, `${s.url}/aad/attest/SgxEnclave?api-version=2022-08-01`);
      await p.waitForSelector("#attestations .outcome:has-text('permit: token issued')", { timeout: 20_000 });
      expect(await p.innerText("#attestations")).toContain("SgxEnclave");
      await session.screenshot(p, "10-console");
      // "open in playground" opens that policy.
      await p.click(".provider[data-name=aad] details[data-type=SgxEnclave] summary a");
      await p.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
      expect(await value(p)).toBe(policy);
      await session.screenshot(p, "11-served-playground");
      await p.close();
    } finally {
      await s.close();
    }
  });
});
