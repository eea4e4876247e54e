/**
 * The service console in Debian's Chromium, served by a real service (`startService`, plain HTTP):
 * the trace of why of an attestation (permit and deny) kept open across live updates; the write
 * actions through the REST API with the token pasted: a Reader's write refused with the 403 text,
 * a write without a token refused with the 401 text, a Contributor setting and resetting a policy,
 * an isolated provider refusing an unsigned policy with the API's message, taking a signed one,
 * adding and removing a policy signer, each change checked through the REST API; keyboard only and
 * 400 px wide. Screenshots of each step go to test-results/e2e/console/.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSignerToken, packPolicy, policyHash } from "@maa-policy/core";
import { DEFAULT_SGX_POLICY, selfSignedCertificate, startService, type RunningService } from "@maa-policy/service";
import { launchBrowser, type BrowserSession } from "./support/browser.js";

const ROOT = join(import.meta.dirname, "..", "..");
const KEYS = join(ROOT, "packages", "service", "test", "fixtures", "keys");
const V = "api-version=2025-06-01";
const POLICY = readFileSync(join(ROOT, "examples", "service", "policy.txt"), "utf8");
const ATTEST = JSON.parse(readFileSync(join(ROOT, "examples", "service", "attest-sgx.json"), "utf8")) as Record<string, unknown>;
const DENYING = 'version=1.0; authorizationrules { c:[type=="x-ms-sgx-svn", value >= 9] => permit(); }; issuancerules { };';

let session: BrowserSession;
let page: Page;
let s: RunningService;
let reader: string;
let contributor: string;

/** A REST call from the test, as an SDK would make it (not through the page). */
async function rest(method: string, path: string, options: { token?: string; body?: string; type?: string } = {}): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = {};
  if (options.token) headers["authorization"] = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = options.type ?? "application/json";
  const r = await fetch(`${s.url}${path}`, { method, headers, ...(options.body !== undefined ? { body: options.body } : {}) });
  return { status: r.status, json: await r.json() };
}
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, any>;
/** The policy text in force, read through the REST API. */
async function policyText(provider: string, type: string): Promise<string> {
  const r = await rest("GET", `/${provider}/policies/${type}?${V}`, { token: reader });
  const jws = claimsOf(r.json.token)["x-ms-policy"] as string;
  return Buffer.from(JSON.parse(Buffer.from(jws.split(".")[1] ?? "", "base64url").toString("utf8")).AttestationPolicy, "base64url").toString("utf8");
}
async function attest(draft?: string): Promise<number> {
  const r = await rest("POST", `/aad/attest/SgxEnclave?${V}`, { body: JSON.stringify(draft === undefined ? ATTEST : { ...ATTEST, draftPolicyForAttestation: draft }) });
  return r.status;
}

const form = (provider: string) => `.provider[data-name=${provider}] form.manage`;
async function connect(token: string): Promise<void> {
  await page.fill("#token", token);
  await page.click("#connect");
  await page.waitForSelector(`${form("isolated")}`);
  await page.waitForSelector("body[data-refreshing=false]");
}
/** Clicks a write button of a provider's form and waits for the service's answer in it. */
async function write(provider: string, button: string): Promise<string> {
  const out = page.locator(`${form(provider)} .result`);
  // The refresh after the last write may still move the layout: click once it is done, on an empty result.
  await page.waitForSelector("body[data-refreshing=false]");
  await out.evaluate((e) => (e.textContent = ""));
  await page.click(`${form(provider)} button.${button}`);
  await page.waitForFunction((sel) => {
    const t = document.querySelector(sel)?.textContent ?? "";
    return t !== "" && t !== "sending…";
  }, `${form(provider)} .result`);
  return (await out.textContent()) ?? "";
}

beforeAll(async () => {
  const build = spawnSync(process.execPath, [join(ROOT, "packages", "playground", "build.mjs")], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`build:playground failed:\n${build.stdout}\n${build.stderr}`);
  let k = 0;
  s = await startService({ inMemory: true, http: true, port: 0, now: new Date("2022-05-31T22:50:28Z"), generateKey: async () => readFileSync(join(KEYS, `test-key-${(k++ % 8) + 1}.pem`), "utf8") });
  [reader, contributor] = await Promise.all([s.mintToken("Reader"), s.mintToken("Contributor")]);
  session = await launchBrowser("console", ROOT);
  page = await session.newPage();
  await page.goto(`${s.url}/`);
  await page.waitForSelector("body[data-ready=true]");
});

afterAll(async () => {
  await session?.close();
  await s?.close();
});

describe("the service console: the trace of why", () => {
  it("shows an attestation's trace, each rule with its outcome, text and issued claims, and keeps it open while new ones arrive", async () => {
    await connect(reader);
    await page.waitForSelector("#attestations:has-text('none yet')");
    expect(await attest()).toBe(200);
    await page.locator("#attestations li.attestation .outcome:has-text('permit: token issued')").waitFor({ timeout: 20_000 });
    // This row, by its record id (locators are lazy: `first()` will be the next one).
    const item = page.locator(`#attestations li.attestation[data-id="${await page.locator("#attestations li.attestation").first().getAttribute("data-id")}"]`);
    await item.locator("details.why summary").click();
    await item.locator("details.why[data-loaded=true]").waitFor();
    const trace = item.locator("ol.trace");
    const rules = trace.locator("li.trace-rule");
    expect(await rules.count()).toBe(7);
    const flat = async (n: number) => (await rules.nth(n).innerText()).replace(/\s+/g, " ");
    const first = await flat(0);
    expect(first).toContain("authorizationrules #1: fired (permit)");
    expect(first).toContain("=> permit();");
    const second = await flat(1);
    expect(second).toContain("issuancerules #1: fired (issue)");
    expect(second).toContain(`line 1, column ${DEFAULT_SGX_POLICY.indexOf('c:[type=="x-ms-sgx-is-debuggable"]') + 1}`);
    expect(second).toContain('c:[type=="x-ms-sgx-is-debuggable"] => issue(type="is-debuggable", value=c.value);');
    expect(second).toContain("claims issued:");
    expect(second).toContain("is-debuggable = true");
    expect(second).toContain("condition 1 matched: x-ms-sgx-is-debuggable = true");
    expect(await item.innerText()).toContain(policyHash(DEFAULT_SGX_POLICY));
    await item.locator("details.why summary").scrollIntoViewIfNeeded();
    await session.screenshot(page, "01-trace-permit");

    // A denial, made after the page loaded: it arrives on top by itself; the open trace stays open.
    expect(await attest(DENYING)).toBe(400);
    await page.locator("#attestations li.attestation .outcome:has-text('deny: PolicyEvaluationError')").waitFor({ timeout: 20_000 });
    const denied = page.locator("#attestations li.attestation").first();
    expect(await denied.innerText()).toContain("deny: PolicyEvaluationError");
    expect(await page.locator("#attestations li.attestation").count()).toBe(2);
    expect(await item.locator("details.why").getAttribute("open")).not.toBeNull();
    expect(await rules.count()).toBe(7);
    await denied.locator("details.why summary").click();
    await denied.locator("details.why[data-loaded=true]").waitFor();
    const why = (await denied.locator("ol.trace").innerText()).replace(/\s+/g, " ");
    expect(why).toContain("authorizationrules #1: did not fire");
    expect(why).toContain("held for none of 1 claim");
    expect(why).toContain("value >= 9");
    expect(why).toContain("compared: x-ms-sgx-svn = 1");
    expect(await denied.innerText()).toContain("draft policy");
    await denied.scrollIntoViewIfNeeded();
    await session.screenshot(page, "02-trace-deny");
  });
});

describe("the service console: write actions through the REST API", () => {
  it("a Reader token's write is refused, and the service's 403 message is shown", async () => {
    await connect(reader);
    expect(await page.locator(`${form("aad")} .why`).innerText()).toContain("writes need the Contributor role");
    const before = await policyText("aad", "SgxEnclave");
    await page.fill(`${form("aad")} textarea.policy-input`, POLICY);
    const result = await write("aad", "set");
    expect(result).toContain("refused by the service: 403 Forbidden: the operation needs the Contributor role; the bearer token grants Reader");
    expect(await page.locator(`${form("aad")} .result.failed`).count()).toBe(1);
    expect(await policyText("aad", "SgxEnclave")).toBe(before);
    await page.locator(`${form("aad")} .result`).scrollIntoViewIfNeeded();
    await session.screenshot(page, "03-reader-refused");
  });

  it("a write without a token is refused, with the service's 401 text", async () => {
    await page.click("#forget");
    expect(await page.inputValue("#token")).toBe("");
    expect(await page.evaluate(() => sessionStorage.getItem("maa-policy-token"))).toBeNull();
    expect(await page.locator("#token-note").innerText()).toContain("No token");
    const result = await write("aad", "set");
    expect(result).toContain("refused by the service: 401 Unauthorized: the request has no bearer token");
    expect(result).toContain("maa-policy serve token --role contributor");
    await page.locator(`${form("aad")} .result`).scrollIntoViewIfNeeded();
    await session.screenshot(page, "04-no-token-refused");
  });

  it("a Contributor sets a policy and resets it; each change is visible through the REST API", async () => {
    await connect(contributor);
    expect(await page.evaluate(() => sessionStorage.getItem("maa-policy-token"))).toBe(contributor);
    expect(await page.locator(`${form("aad")} .why`).isHidden()).toBe(true);
    await page.selectOption(`${form("aad")} select.type`, "SgxEnclave");
    await page.fill(`${form("aad")} textarea.policy-input`, POLICY);
    const set = await write("aad", "set");
    expect(set).toContain("SgxEnclave policy of aad: Updated");
    expect(await policyText("aad", "SgxEnclave")).toBe(POLICY);
    // The console's own view follows: the policy's hash, unsigned.
    const summary = page.locator(".provider[data-name=aad] details[data-type=SgxEnclave] summary");
    await page.waitForFunction(([sel, hash]) => document.querySelector(sel!)?.textContent?.includes(hash!) ?? false, [".provider[data-name=aad] details[data-type=SgxEnclave] summary", policyHash(POLICY)] as const);
    expect(await summary.innerText()).toContain("unsigned");
    await page.locator(`${form("aad")} .result`).scrollIntoViewIfNeeded();
    await session.screenshot(page, "05-contributor-set");

    const reset = await write("aad", "reset");
    expect(reset).toContain("SgxEnclave policy of aad: Removed");
    expect(await policyText("aad", "SgxEnclave")).toBe(DEFAULT_SGX_POLICY);
    await page.waitForFunction(([sel, hash]) => document.querySelector(sel!)?.textContent?.includes(hash!) ?? false, [".provider[data-name=aad] details[data-type=SgxEnclave] summary", policyHash(DEFAULT_SGX_POLICY)] as const);
    await page.locator(`${form("aad")} .result`).scrollIntoViewIfNeeded();
    await session.screenshot(page, "06-contributor-reset");
  });

  it("on an isolated provider: the API refuses an unsigned policy with its message, takes a signed one, and a signer is added and removed", async () => {
    const signer = s.defaultSigner!;
    await page.selectOption(`${form("isolated")} select.type`, "SgxEnclave");
    await page.fill(`${form("isolated")} textarea.policy-input`, POLICY);
    const unsigned = await write("isolated", "set");
    expect(unsigned).toMatch(/refused by the service: 400 InvalidOperation: P4004/);
    const signed = (await packPolicy(POLICY, { key: signer.keyPem, certificates: [signer.certPem] })).token;
    await page.fill(`${form("isolated")} textarea.policy-input`, signed);
    const accepted = await write("isolated", "set");
    expect(accepted).toContain("SgxEnclave policy of isolated: Updated, signed by");
    expect(await policyText("isolated", "SgxEnclave")).toBe(POLICY);
    await page.locator(`${form("isolated")} .result`).scrollIntoViewIfNeeded();
    await session.screenshot(page, "07-isolated-signed-policy");

    // A pasted certificate is not what the API takes: the console says how to make the signer token.
    const newCert = await selfSignedCertificate({ keyPem: readFileSync(join(KEYS, "test-key-8.pem"), "utf8"), commonName: "console e2e signer", ca: true, notBefore: new Date("2020-01-01T00:00:00Z"), notAfter: new Date("2050-01-01T00:00:00Z") });
    await page.fill(`${form("isolated")} textarea.signer-input`, newCert);
    expect(await write("isolated", "add-signer")).toContain("maa-policy signer-token --add");

    const add = (await createSignerToken(newCert, signer.keyPem, signer.certPem)).token;
    await page.fill(`${form("isolated")} textarea.signer-input`, add);
    expect(await write("isolated", "add-signer")).toMatch(/^signer [0-9A-F]{40} of isolated: IsPresent$/);
    const certs = claimsOf((await rest("GET", `/isolated/certificates?${V}`, { token: reader })).json.token)["x-ms-policy-certificates"].keys as unknown[];
    expect(certs).toHaveLength(2);
    await page.waitForSelector(".provider[data-name=isolated] table.signers td:has-text('console e2e signer')");
    await page.locator(`${form("isolated")} .result`).scrollIntoViewIfNeeded();
    await session.screenshot(page, "08-isolated-signer-added");

    expect(await write("isolated", "remove-signer")).toMatch(/^signer [0-9A-F]{40} of isolated: IsAbsent$/);
    expect(claimsOf((await rest("GET", `/isolated/certificates?${V}`, { token: reader })).json.token)["x-ms-policy-certificates"].keys).toHaveLength(1);
    await page.waitForFunction(() => !document.querySelector(".provider[data-name=isolated] table.signers")?.textContent?.includes("console e2e signer"));
  });
});

describe("the service console: keyboard and narrow screens", () => {
  it("can be used with a keyboard only: every new control is reached with Tab and works with Enter", async () => {
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    await page.waitForSelector(`${form("isolated")}`);
    await page.keyboard.press("Tab");
    const reached: string[] = [];
    for (let i = 0; i < 80; i++) {
      const where = await page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        if (!a) return "";
        const provider = a.closest<HTMLElement>(".provider")?.dataset["name"];
        const what = (provider ? a.className || a.id : a.id || a.className) || a.tagName.toLowerCase();
        return provider ? `${provider}:${what}` : a.closest("li.attestation") ? `attestation:${a.closest("details")?.className ?? what}` : what;
      });
      reached.push(where);
      if (where === "attestation:why") break;
      await page.keyboard.press("Tab");
    }
    for (const c of ["token", "connect", "forget", "aad:type", "aad:policy-input", "aad:set", "aad:reset", "isolated:type", "isolated:policy-input", "isolated:set", "isolated:reset", "isolated:signer-input", "isolated:add-signer", "isolated:remove-signer", "attestation:why"]) {
      expect(reached, `${c} in ${reached.join(" ")}`).toContain(c);
    }
    // Enter opens the focused trace.
    await page.keyboard.press("Enter");
    await page.waitForSelector("#attestations li.attestation details.why[open][data-loaded=true]");

    // A write by keyboard alone: to the type, choose TdxVm, type a policy, Tab to Set, Enter.
    await page.focus(`${form("aad")} select.type`);
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown");
    expect(await page.inputValue(`${form("aad")} select.type`)).toBe("TdxVm");
    await page.keyboard.press("Tab");
    await page.keyboard.type("version=1.0; authorizationrules { => permit(); }; issuancerules { };");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).className)).toBe("set");
    await page.keyboard.press("Enter");
    await page.waitForSelector(`${form("aad")} .result:has-text('TdxVm policy of aad: Updated')`);
    expect(await policyText("aad", "TdxVm")).toBe("version=1.0; authorizationrules { => permit(); }; issuancerules { };");
    // A refresh while typing (here Connect, clicked by script so the focus stays) keeps the focus and the text.
    await page.focus(`${form("isolated")} textarea.signer-input`);
    await page.keyboard.type("eyJhbGciOi");
    await page.evaluate(() => document.getElementById("connect")!.click());
    // The click started a refresh before evaluate returned (data-refreshing=true); wait for its end.
    await page.waitForSelector("body[data-refreshing=false]");
    await page.keyboard.type("JSUzI1NiJ9");
    expect(await page.inputValue(`${form("isolated")} textarea.signer-input`)).toBe("eyJhbGciOiJSUzI1NiJ9");
    await session.screenshot(page, "09-keyboard");
  });

  it("fits 400 px, forms and traces included", async () => {
    await page.setViewportSize({ width: 400, height: 900 });
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    await page.waitForSelector(`${form("isolated")}`);
    await page.locator("#attestations li.attestation details.why summary").last().click();
    await page.waitForSelector("#attestations li.attestation details.why[open][data-loaded=true]");
    await page.locator(".provider[data-name=aad] details[data-type=SgxEnclave] summary").click();
    const widths = await page.evaluate(() => ({
      doc: document.documentElement.scrollWidth,
      widest: Math.max(...[...document.querySelectorAll<HTMLElement>("textarea, select, button, .trace, .manage")].map((e) => e.getBoundingClientRect().right)),
    }));
    expect(widths.doc).toBeLessThanOrEqual(400);
    expect(widths.widest).toBeLessThanOrEqual(400);
    await session.screenshot(page, "10-400px");
    await page.locator("#attestations li.attestation").last().scrollIntoViewIfNeeded();
    await session.screenshot(page, "11-400px-trace");
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
