/**
 * Test keys and certificates, made fresh in the test: keys with node:crypto, self-signed
 * certificates with the `openssl` binary (test-only; fails loudly when openssl is missing).
 * Also an independent signer and verifier built on node:crypto alone (not jose), to tamper real
 * tokens and to cross-check ours.
 */
import { execFileSync } from "node:child_process";
import { createHmac, createPrivateKey, generateKeyPairSync, sign, verify, X509Certificate, constants } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** A signer made for a test. */
export interface TestSigner {
  /** PKCS#8 private key PEM. */
  readonly keyPem: string;
  /** The same key as PKCS#1 (RSA) or SEC1 (EC) PEM. */
  readonly traditionalKeyPem: string;
  readonly certPem: string;
  readonly cert: X509Certificate;
}

/** Whether openssl can be run; throws a loud error otherwise. */
export function requireOpenssl(): string {
  try {
    return execFileSync("openssl", ["version"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("these tests need the `openssl` binary (apt-get install openssl); it was not found on PATH");
  }
}

/** Makes a key pair and a self-signed certificate for `cn`, valid for `days` from now. */
export function makeSigner(options: { cn: string; type?: "rsa" | "ec"; bits?: number; curve?: string; days?: number }): TestSigner {
  requireOpenssl();
  const type = options.type ?? "rsa";
  const { privateKey } =
    type === "rsa"
      ? generateKeyPairSync("rsa", { modulusLength: options.bits ?? 2048 })
      : generateKeyPairSync("ec", { namedCurve: options.curve ?? "prime256v1" });
  const keyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const traditionalKeyPem = privateKey.export({ type: type === "rsa" ? "pkcs1" : "sec1", format: "pem" }).toString();
  const dir = mkdtempSync(path.join(tmpdir(), "maa-jwt-"));
  try {
    writeFileSync(path.join(dir, "key.pem"), keyPem);
    execFileSync(
      "openssl",
      ["req", "-x509", "-new", "-key", "key.pem", "-subj", `/CN=${options.cn}`, "-days", String(options.days ?? 30), "-sha256", "-out", "cert.pem"],
      { cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
    );
    const certPem = readFileSync(path.join(dir, "cert.pem"), "utf8");
    return { keyPem, traditionalKeyPem, certPem, cert: new X509Certificate(certPem) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Unpadded base64url of bytes or UTF-8 text. */
export function b64url(data: string | Uint8Array): string {
  return Buffer.from(typeof data === "string" ? Buffer.from(data, "utf8") : data).toString("base64url");
}

function nodeParams(alg: string): { hash: string; extra: Record<string, unknown> } {
  const hash = `sha${alg.slice(2)}`;
  if (alg.startsWith("PS")) return { hash, extra: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 } };
  if (alg.startsWith("ES")) return { hash, extra: { dsaEncoding: "ieee-p1363" } };
  return { hash, extra: {} };
}

/**
 * Signs `header` + `payload` (an object, or the base64url payload part as is) with node:crypto:
 * RS*, PS*, ES* with a private key PEM, HS* with `key` as the secret. Independent of jose, and
 * able to produce what jose refuses (weak keys, odd headers).
 */
export function nodeSign(header: Record<string, unknown>, payload: Record<string, unknown> | string, key: string, alg = String(header["alg"])): string {
  const input = `${b64url(JSON.stringify(header))}.${typeof payload === "string" ? payload : b64url(JSON.stringify(payload))}`;
  if (alg.startsWith("HS")) return `${input}.${createHmac(`sha${alg.slice(2)}`, key).update(input).digest("base64url")}`;
  const { hash, extra } = nodeParams(alg);
  const sig = sign(hash, Buffer.from(input), { key: createPrivateKey(key), ...extra } as Parameters<typeof sign>[2]);
  return `${input}.${sig.toString("base64url")}`;
}

/** Decodes a compact JWS with Buffer and JSON.parse only. */
export function nodeDecode(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> | undefined; parts: string[] } {
  const parts = token.split(".");
  const header = JSON.parse(Buffer.from(parts[0] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  const p = parts[1] ?? "";
  const payload = p === "" ? undefined : (JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as Record<string, unknown>);
  return { header, payload, parts };
}

/** Verifies a compact JWS with node:crypto's `verify` and `X509Certificate` of `x5c[0]` (no jose). */
export function nodeVerify(token: string): boolean {
  const { header, parts } = nodeDecode(token);
  const x5c = header["x5c"] as string[];
  const cert = new X509Certificate(Buffer.from(x5c[0] ?? "", "base64"));
  const alg = String(header["alg"]);
  const { hash, extra } = nodeParams(alg);
  return verify(
    hash,
    Buffer.from(`${parts[0]}.${parts[1]}`),
    { key: cert.publicKey, ...extra } as Parameters<typeof verify>[2],
    Buffer.from(parts[2] ?? "", "base64url"),
  );
}

/** Flips the low bit of the character at `index` of a base64url string, keeping it base64url. */
export function flipBase64urlChar(s: string, index: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const c = s.charAt(index);
  const i = alphabet.indexOf(c);
  const replacement = alphabet.charAt(i ^ 1);
  return s.slice(0, index) + replacement + s.slice(index + 1);
}
