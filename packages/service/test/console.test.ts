/**
 * The web pages of `maa-policy serve` (routes/console.ts): the console at `/`, the playground at
 * `/playground/`, their scripts, and `GET /_console/attestations` (the last attestations, Reader).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningService } from "@maa-policy/service";
import { V, call, start } from "./support/service.js";

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const ROOT = join(import.meta.dirname, "..", "..", "..");
const DIST = join(ROOT, "packages", "playground", "dist");

let s: RunningService;
let reader: string;
beforeAll(async () => {
  if (!existsSync(join(DIST, "app.js"))) {
    const b = spawnSync(process.execPath, [join(ROOT, "packages", "playground", "build.mjs")], { encoding: "utf8" });
    if (b.status !== 0) throw new Error(`build:playground failed: ${b.stderr}`);
  }
  s = await start({ now: new Date("2022-05-31T22:50:28Z") });
  reader = await s.mintToken("Reader");
});
afterAll(async () => {
  await s?.close();
});

describe("the console and the playground served", () => {
  it("serves the console at / and the playground at /playground/, as built", async () => {
    const root = await call(s, "GET", "/");
    expect(root.status).toBe(200);
    expect(root.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(root.text).toBe(readFileSync(join(DIST, "console.html"), "utf8"));
    for (const path of ["/playground", "/playground/", "/playground/index.html"]) {
      const r = await call(s, "GET", path);
      expect(r.status, path).toBe(200);
      expect(r.text, path).toBe(readFileSync(join(DIST, "index.html"), "utf8"));
    }
    const js = await call(s, "GET", "/playground/app.js");
    expect(js.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(js.text.length).toBe(readFileSync(join(DIST, "app.js"), "utf8").length);
    expect((await call(s, "GET", "/app.css")).headers["content-type"]).toBe("text/css; charset=utf-8");
    expect((await call(s, "GET", "/console.js")).status).toBe(200);
  });

  it("keeps the data-plane routes and the service's 404 for anything else", async () => {
    const r = await call(s, "GET", "/playground/nothing.js");
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe("NotFound");
    expect((await call(s, "GET", "/aad/certs")).status).toBe(200);
  });

  it("lists the last attestations, newest first, for a Reader only", async () => {
    expect((await call(s, "GET", "/_console/attestations")).status).toBe(401);
    const body = readFileSync(join(ROOT, "examples", "service", "attest-sgx.json"), "utf8");
    const ok = await call(s, "POST", `/aad/attest/SgxEnclave?${V}`, { body });
    const bad = await call(s, "POST", `/aad/attest/SgxEnclave?${V}`, { body: JSON.stringify({ quote: "AAAA" }) });
    expect(bad.status).toBe(400);
    const r = await call(s, "GET", "/_console/attestations", { token: reader });
    expect(r.status).toBe(200);
    const [last, first] = r.json.value;
    expect(last).toMatchObject({ provider: "aad", type: "SgxEnclave", status: 400, claims: null, time: "2022-05-31T22:50:28.000Z" });
    expect(last.error).toMatch(/^InvalidParameter: /);
    expect(first).toMatchObject({ provider: "aad", type: "SgxEnclave", status: ok.status, error: ok.status === 200 ? null : expect.any(String) });
    expect(ok.status).toBe(200);
    expect(first.claims["x-ms-attestation-type"]).toBe("sgx");
  });
});
