/**
 * Durability: the real `maa-policy serve` process is killed with SIGKILL in the middle of a stream
 * of concurrent policy sets and signer additions; after a restart every acknowledged write is
 * there, no file is torn, and no temporary file is left.
 */
import { readFileSync, readdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createSignerToken, packPolicy, unpackPolicy } from "@maa-policy/core";
import { mintAccessToken, selfSignedCertificate, type RunningService } from "@maa-policy/service";
import { V, call, claimsOf } from "./support/service.js";
import { serveProcess } from "./support/process.js";

// Key generation and process start-up are slow when the machine is loaded (the whole suite runs in parallel).
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const TYPES = ["SgxEnclave", "OpenEnclave", "Tpm", "SevSnpVm"] as const;
const policyText = (n: number) => `version=1.0; authorizationrules{=> permit();}; issuancerules{=> issue(type="n", value=${n});};`;
const versionOf = (jws: string): number => {
  const u = unpackPolicy(jws);
  if (u.kind !== "policy") return 0;
  return Number(/value=(\d+)/.exec(u.text)?.[1] ?? -1);
};

describe("durability", () => {
  it("every acknowledged write survives kill -9; no torn or temporary file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "maa-durable-"));
    dirs.push(dir);
    const first = await serveProcess(["--data-dir", dir, "--port", "0", "--http"]);
    const client = { url: first.url, tlsCertificate: undefined } as unknown as RunningService;
    const token = await mintAccessToken(readFileSync(path.join(dir, "auth-issuer.key.pem"), "utf8"), { role: "Contributor", now: new Date() });
    const signerKey = readFileSync(path.join(dir, "signers", "default-signer.key.pem"), "utf8");
    const signerCert = readFileSync(path.join(dir, "signers", "default-signer.cert.pem"), "utf8");

    const acked = new Map<string, number>(); // type -> last acknowledged version
    const sent = new Map<string, number>(); // type -> last version sent
    const ackedSigners: string[] = [];
    let stop = false;
    let errors = 0;

    const policyWriter = async (type: string) => {
      for (let n = 1; !stop; n++) {
        const jws = (await packPolicy(policyText(n))).token;
        sent.set(type, n);
        try {
          const r = await call(client, "PUT", `/aad/policies/${type}?api-version=2022-08-01`, { token, body: jws, contentType: "text/plain" });
          if (r.status === 200) acked.set(type, n);
          else errors++;
        } catch {
          return; // the process died under us
        }
      }
    };
    const signerWriter = async () => {
      for (let n = 1; !stop; n++) {
        const cert = await selfSignedCertificate({ keyPem: signerKey, commonName: `added ${n}`, notBefore: new Date("2020-01-01T00:00:00Z"), notAfter: new Date("2040-01-01T00:00:00Z") });
        const body = (await createSignerToken(cert, signerKey, signerCert)).token;
        try {
          const r = await call(client, "POST", `/isolated/certificates:add?${V}`, { token, body, contentType: "text/plain" });
          if (r.status === 200) ackedSigners.push(cert.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""));
          else errors++;
        } catch {
          return;
        }
      }
    };
    const writers = [...TYPES.map((t) => policyWriter(t)), signerWriter()];
    // Let the stream run, then kill without warning.
    await new Promise((r) => setTimeout(r, 2500 + Math.random() * 1500));
    first.child.kill("SIGKILL");
    await first.exited;
    stop = true;
    await Promise.all(writers);
    expect(errors).toBe(0);
    expect([...acked.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(4);

    // Every provider file parses (a torn one would fail the restart); temporaries are cleaned.
    const second = await serveProcess(["--data-dir", dir, "--port", "0", "--http"]);
    try {
      const c2 = { url: second.url, tlsCertificate: undefined } as unknown as RunningService;
      for (const type of TYPES) {
        const r = await call(c2, "GET", `/aad/policies/${type}?api-version=2022-08-01`, { token });
        expect(r.status).toBe(200);
        const v = versionOf(claimsOf(r.json.token)["x-ms-policy"]);
        // The stored version is the last acknowledged one, or the one in flight when killed.
        expect(v).toBeGreaterThanOrEqual(acked.get(type) ?? 0);
        expect(v).toBeLessThanOrEqual(sent.get(type) ?? 0);
      }
      const certs = await call(c2, "GET", `/isolated/certificates?${V}`, { token });
      const present = new Set((claimsOf(certs.json.token)["x-ms-policy-certificates"].keys as { x5c: string[] }[]).map((k) => k.x5c[0]));
      for (const der of ackedSigners) expect(present.has(der)).toBe(true);
      expect(present.size).toBeGreaterThanOrEqual(ackedSigners.length + 1);
      const leftovers = readdirSync(path.join(dir, "providers")).filter((f) => f.includes(".tmp-"));
      expect(leftovers).toEqual([]);
      for (const f of readdirSync(path.join(dir, "providers"))) expect(() => JSON.parse(readFileSync(path.join(dir, "providers", f), "utf8"))).not.toThrow();
    } finally {
      second.child.kill("SIGTERM");
      const e = await second.exited;
      expect(e.code).toBe(0);
    }
  }, 300_000);
});
