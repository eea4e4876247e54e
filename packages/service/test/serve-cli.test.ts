/**
 * The `maa-policy serve` process: first start (embedded default providers, files in the data
 * directory, banner), restart (keys persist), `--provider`, `serve token`, `serve provider`,
 * start-up errors (one line, exit 2), graceful shutdown on SIGTERM and SIGINT.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { RunningService } from "@maa-policy/service";
import { V, call, claimsOf, makeSigner, signed } from "./support/service.js";
import { runCliProcess, serveProcess } from "./support/process.js";

// Key generation and process start-up are slow when the machine is loaded (the whole suite runs in parallel).
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), "maa-serve-"));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const asClient = (url: string, ca?: string) => ({ url, tlsCertificate: ca }) as unknown as RunningService;

describe("maa-policy serve", () => {
  it("first start: HTTPS, two default providers, files in the data directory; keys persist across restarts", async () => {
    const dir = tempDir();
    const p = await serveProcess(["--data-dir", dir, "--port", "0"]);
    let certsBefore: string;
    try {
      expect(p.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(p.stdout()).toContain(`${p.url}/aad`);
      expect(p.stdout()).toContain(`${p.url}/isolated`);
      expect(p.stdout()).toMatch(/maa-policy serve token --data-dir/);
      for (const f of ["auth-issuer.key.pem", "tls/cert.pem", "tls/key.pem", "signers/default-signer.key.pem", "signers/default-signer.cert.pem", "providers/aad.json", "providers/isolated.json"]) {
        expect(existsSync(path.join(dir, f)), f).toBe(true);
      }
      const ca = readFileSync(path.join(dir, "tls", "cert.pem"), "utf8");
      const c = asClient(p.url, ca);
      certsBefore = (await call(c, "GET", "/isolated/certs")).text;
      // The isolated provider trusts the generated signer.
      const tok = (await runCliProcess(["serve", "token", "--data-dir", dir, "--role", "contributor"])).stdout.trim();
      const signer = { keyPem: readFileSync(path.join(dir, "signers/default-signer.key.pem"), "utf8"), certPem: readFileSync(path.join(dir, "signers/default-signer.cert.pem"), "utf8"), der: "" };
      const r = await call(c, "PUT", `/isolated/policies/SgxEnclave?${V}`, { token: tok, body: await signed("version=1.0; authorizationrules{=> permit();};", signer), contentType: "text/plain" });
      expect(r.status, r.text).toBe(200);
      // One log line per request on stderr.
      for (let i = 0; i < 100 && !p.stderr().includes('"method":"PUT"'); i++) await new Promise((r) => setTimeout(r, 50));
      const lines = p.stderr().trim().split("\n").map((l) => JSON.parse(l));
      expect(lines.at(-1)).toMatchObject({ method: "PUT", route: "/:provider/policies/:type", status: 200 });
      expect(typeof lines.at(-1).ms).toBe("number");
    } finally {
      p.child.kill("SIGINT");
      expect((await p.exited).code).toBe(0);
    }
    const again = await serveProcess(["--data-dir", dir, "--port", "0"]);
    try {
      expect(again.stdout()).not.toContain("created now");
      const c = asClient(again.url, readFileSync(path.join(dir, "tls", "cert.pem"), "utf8"));
      const after = JSON.parse((await call(c, "GET", "/isolated/certs")).text);
      expect(after.keys[0].n).toBe(JSON.parse(certsBefore).keys[0].n);
    } finally {
      again.child.kill("SIGTERM");
      expect((await again.exited).code).toBe(0);
    }
  }, 300_000);

  it("--provider creates AAD and isolated providers; serve provider create/show/list/delete; serve token roles", async () => {
    const dir = tempDir();
    const signer = await makeSigner("cli signer");
    writeFileSync(path.join(dir, "signers.pem"), signer.certPem);
    const p = await serveProcess(["--data-dir", path.join(dir, "data"), "--port", "0", "--provider", "alpha", "--provider", `beta=${path.join(dir, "signers.pem")}`, "--now", "2026-06-01T00:00:00Z"]);
    try {
      expect(p.stdout()).toMatch(/alpha\s+AAD/);
      expect(p.stdout()).toMatch(/beta\s+Isolated/);
      expect(p.stdout()).not.toMatch(/\baad\s+AAD/);
      const data = path.join(dir, "data");
      const show = await runCliProcess(["serve", "provider", "show", "beta", "--url", p.url, "--data-dir", data, "--now", "2026-06-01T00:00:00Z"]);
      expect(show.code, show.stderr).toBe(0);
      expect(JSON.parse(show.stdout)).toMatchObject({ name: "beta", trustModel: "Isolated", attestUri: `${p.url}/beta`, signers: 1, status: "Ready" });
      const created = await runCliProcess(["serve", "provider", "create", "gamma", "--signers", path.join(dir, "signers.pem"), "--attest-requires-auth", "--url", p.url, "--data-dir", data, "--now", "2026-06-01T00:00:00Z"]);
      expect(created.code, created.stderr).toBe(0);
      expect(JSON.parse(created.stdout)).toMatchObject({ name: "gamma", trustModel: "Isolated", attestRequiresAuth: true });
      const list = await runCliProcess(["serve", "provider", "list", "--url", p.url, "--data-dir", data, "--now", "2026-06-01T00:00:00Z"]);
      expect(JSON.parse(list.stdout).value.map((x: { name: string }) => x.name).sort()).toEqual(["alpha", "beta", "gamma"]);
      const dup = await runCliProcess(["serve", "provider", "create", "gamma", "--url", p.url, "--data-dir", data, "--now", "2026-06-01T00:00:00Z"]);
      expect(dup.code).toBe(1);
      expect(dup.stderr).toMatch(/409 Conflict/);
      const del = await runCliProcess(["serve", "provider", "delete", "gamma", "--url", p.url, "--data-dir", data, "--now", "2026-06-01T00:00:00Z"]);
      expect(del.code).toBe(0);
      expect(existsSync(path.join(data, "providers", "gamma.json"))).toBe(false);
      const ca = readFileSync(path.join(data, "tls", "cert.pem"), "utf8");
      const reader = (await runCliProcess(["serve", "token", "--data-dir", data, "--role", "reader", "--now", "2026-06-01T00:00:00Z"])).stdout.trim();
      const c = asClient(p.url, ca);
      const got = await call(c, "GET", `/beta/policies/SgxEnclave?${V}`, { token: reader });
      expect(got.status, got.text).toBe(200);
      // The frozen clock: tokens are issued at --now.
      expect(claimsOf(got.json.token).iat).toBe(Date.parse("2026-06-01T00:00:00Z") / 1000);
      expect((await call(c, "PUT", `/alpha/policies/SgxEnclave?${V}`, { token: reader, body: "eyJhbGciOiJub25lIn0..", contentType: "text/plain" })).status).toBe(403);
      const scoped = (await runCliProcess(["serve", "token", "--data-dir", data, "--role", "contributor", "--provider", "alpha", "--now", "2026-06-01T00:00:00Z"])).stdout.trim();
      expect((await call(c, "GET", `/beta/policies/SgxEnclave?${V}`, { token: scoped })).status).toBe(403);
    } finally {
      p.child.kill("SIGTERM");
      expect((await p.exited).code).toBe(0);
    }
  }, 300_000);

  it("start-up errors are one line and exit 2: port in use, unreadable signer file, corrupt state, locked data directory, bad options", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const port = (blocker.address() as { port: number }).port;
    const dir = tempDir();
    const cases: [string[], RegExp][] = [
      [["--in-memory", "--http", "--port", String(port)], new RegExp(`port ${port} on 127.0.0.1 is in use`)],
      [["--in-memory", "--http", "--port", "0", "--provider", `x1y=${path.join(dir, "missing.pem")}`], /cannot read signer file .*missing\.pem: no such file/],
      [["--in-memory", "--port", "0", "--cert", path.join(dir, "nope.pem"), "--key", path.join(dir, "nope.key")], /cannot read certificate/],
      [["--in-memory", "--port", "99999"], /--port must be an integer/],
      [["--in-memory", "--now", "yesterday"], /--now: `yesterday` is not an ISO 8601 time/],
      [["--in-memory", "--data-dir", dir], /exclude each other/],
    ];
    const corrupt = tempDir();
    const { mkdirSync } = await import("node:fs");
    mkdirSync(path.join(corrupt, "providers"), { recursive: true });
    writeFileSync(path.join(corrupt, "providers", "aad.json"), '{"format":1,"name":"aad","trustM');
    cases.push([["--data-dir", corrupt, "--port", "0", "--http"], /corrupt state: .*aad\.json: not JSON/]);
    for (const [args, message] of cases) {
      const r = await runCliProcess(["serve", ...args]);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split("\n")[0]).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    blocker.close();
    // A data directory used by a running service is refused.
    const live = tempDir();
    const p = await serveProcess(["--data-dir", live, "--port", "0", "--http"]);
    try {
      const r = await runCliProcess(["serve", "--data-dir", live, "--port", "0", "--http"]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toMatch(/^maa-policy serve: data directory .* is in use by another service \(process \d+\)$/);
    } finally {
      p.child.kill("SIGTERM");
      await p.exited;
    }
  }, 300_000);

  it("--help documents every option", async () => {
    const r = await runCliProcess(["serve", "--help"]);
    expect(r.code).toBe(0);
    for (const o of ["--port", "--host", "--data-dir", "--in-memory", "--http", "--cert", "--key", "--now", "--provider", "--role", "serve token", "serve provider"]) expect(r.stdout).toContain(o);
  });
});
