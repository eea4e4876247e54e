/**
 * The token signatures off the event loop (`signing.ts`): the signing thread's tokens are the
 * tokens jose's `CompactSign` makes, byte for byte; concurrent signatures each get their own; a
 * failure is one request's error; `close()` fails what is pending and later signatures still work;
 * an idle thread does not keep a process alive.
 */
import { spawnSync } from "node:child_process";
import { createPrivateKey, createPublicKey, generateKeyPairSync, verify, type KeyObject } from "node:crypto";
import { fileURLToPath } from "node:url";
import { CompactSign, compactVerify } from "jose";
import { afterAll, describe, expect, it, vi } from "vitest";
import { POOL_SIGNER, SigningThread } from "../src/signing.js";
import { ATTESTATION_TOKEN_LIFETIME } from "../src/service-tokens.js";
import { attestationToken, managementToken, type TokenIssuer } from "../src/service-tokens.js";
import { signingIdentity } from "../src/keys.js";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const keyPem = rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const thread = new SigningThread();
afterAll(() => thread.close());

function verifies(key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  return verify("sha256", data, createPublicKey(key), signature);
}

describe("SigningThread", () => {
  it("signs RS256 (RSASSA-PKCS1-v1_5, SHA-256) as node:crypto and libuv's pool do", async () => {
    const data = new TextEncoder().encode("header.payload");
    const [a, b] = await Promise.all([thread.sign(rsa.privateKey, data), POOL_SIGNER.sign(rsa.privateKey, data)]);
    expect(Buffer.from(a).toString("hex")).toBe(Buffer.from(b).toString("hex"));
    expect(verifies(rsa.privateKey, data, a)).toBe(true);
  });

  it("gives each of many concurrent signatures its own, with several keys", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const jobs = Array.from({ length: 64 }, (_, i) => ({ key: i % 3 === 0 ? other : rsa.privateKey, data: new TextEncoder().encode(`message ${i}`) }));
    const signatures = await Promise.all(jobs.map((j) => thread.sign(j.key, j.data)));
    signatures.forEach((s, i) => expect(verifies(jobs[i]!.key, jobs[i]!.data, s), `signature ${i}`).toBe(true));
    expect(thread.pending).toBe(0);
  });

  it("refuses a key it cannot sign with, as that request's error, and keeps signing", async () => {
    await expect(thread.sign(createPublicKey(rsa.privateKey), new Uint8Array([1]))).rejects.toThrow(/signing failed/);
    const data = new Uint8Array([1, 2, 3]);
    expect(verifies(rsa.privateKey, data, await thread.sign(rsa.privateKey, data))).toBe(true);
  });

  it("fails pending signatures on close, and signs on libuv's pool after it", async () => {
    const t = new SigningThread();
    const data = new Uint8Array(1000);
    const pending = Array.from({ length: 20 }, () => t.sign(rsa.privateKey, data));
    const closing = t.close();
    const results = await Promise.allSettled(pending);
    await closing;
    // Whatever the thread had not answered fails with a clear error; nothing hangs.
    for (const r of results) {
      if (r.status === "rejected") expect(String(r.reason)).toMatch(/signing thread was closed/);
      else expect(verifies(rsa.privateKey, data, r.value)).toBe(true);
    }
    expect(t.pending).toBe(0);
    expect(verifies(rsa.privateKey, data, await t.sign(rsa.privateKey, data))).toBe(true);
  });

  it("does not keep a process alive when idle", () => {
    const url = new URL("../dist/signing.js", import.meta.url).href;
    const script = `
      const { SigningThread } = await import(${JSON.stringify(url)});
      const { generateKeyPairSync } = await import("node:crypto");
      const t = new SigningThread();
      const s = await t.sign(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey, new Uint8Array([1]));
      process.stdout.write("signed " + s.length);`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000, cwd: fileURLToPath(new URL("..", import.meta.url)) });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toBe("signed 256");
    expect(r.status).toBe(0);
  });
});

describe("service tokens signed on the thread", () => {
  it("are byte for byte the tokens jose's CompactSign makes, and verify", async () => {
    const identity = await signingIdentity(keyPem, "https://127.0.0.1:8443/aad");
    const issuer: TokenIssuer = { url: "https://127.0.0.1:8443/aad", identity, signer: thread };
    const claims = { b: [2, { z: 1, a: "\u00e9\u2028" }], a: 1, iss: issuer.url, iat: 1654037428, nbf: 1654037428, exp: 1654037428 + ATTESTATION_TOKEN_LIFETIME, jti: "x" };
    const ours = await attestationToken(issuer, claims);
    const [h, p] = ours.split(".");
    const jose = await new CompactSign(new Uint8Array(Buffer.from(p!, "base64url")))
      .setProtectedHeader(JSON.parse(Buffer.from(h!, "base64url").toString()) as { alg: string })
      .sign(createPrivateKey(keyPem));
    expect(ours).toBe(jose);
    const { protectedHeader, payload } = await compactVerify(ours, createPublicKey(createPrivateKey(keyPem)));
    expect(protectedHeader).toEqual({ alg: "RS256", jku: `${issuer.url}/certs`, kid: identity.kid, typ: "JWT" });
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ a: 1, b: [2, { a: "\u00e9\u2028", z: 1 }], exp: claims.exp, iat: claims.iat, iss: issuer.url, jti: "x", nbf: claims.nbf });
    // The same with the default signer (libuv's pool) and for management tokens.
    expect(await attestationToken({ url: issuer.url, identity }, claims)).toBe(ours);
    const m = await managementToken(issuer, new Date("2022-05-31T22:50:28Z"), { "x-ms-policy-result": "Removed" });
    await expect(compactVerify(m, createPublicKey(createPrivateKey(keyPem)))).resolves.toBeDefined();
  });
});
