/**
 * Test keys and certificates, made fresh in the test: keys with node:crypto, self-signed
 * certificates with @peculiar/x509 (as `openssl req -x509` makes them: CA basic constraints and
 * key identifiers, signed with SHA-256), so `npm test` needs nothing but Node.
 * Also an independent signer and verifier built on node:crypto alone (not jose), to tamper real
 * tokens and to cross-check ours.
 */
import "reflect-metadata";
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, X509Certificate, constants } from "node:crypto";
import * as x509 from "@peculiar/x509";

/** A signer made for a test. */
export interface TestSigner {
  /** PKCS#8 private key PEM. */
  readonly keyPem: string;
  /** The same key as PKCS#1 (RSA) or SEC1 (EC) PEM. */
  readonly traditionalKeyPem: string;
  readonly certPem: string;
  readonly cert: X509Certificate;
}

/** WebCrypto's names of the curves the tests use. */
const CURVES: Record<string, string> = { prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521" };

/** Makes a key pair and a self-signed certificate for `cn`, valid from now for `days` (default 30). */
export async function makeSigner(options: { cn: string; type?: "rsa" | "ec"; bits?: number; curve?: string; days?: number }): Promise<TestSigner> {
  const type = options.type ?? "rsa";
  const curve = options.curve ?? "prime256v1";
  const { privateKey } = type === "rsa" ? generateKeyPairSync("rsa", { modulusLength: options.bits ?? 2048 }) : generateKeyPairSync("ec", { namedCurve: curve });
  const keyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const traditionalKeyPem = privateKey.export({ type: type === "rsa" ? "pkcs1" : "sec1", format: "pem" }).toString();
  const algorithm = type === "rsa" ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } : { name: "ECDSA", namedCurve: CURVES[curve] ?? curve };
  const keys = {
    privateKey: await crypto.subtle.importKey("pkcs8", privateKey.export({ type: "pkcs8", format: "der" }), algorithm, false, ["sign"]),
    publicKey: await crypto.subtle.importKey("spki", createPublicKey(privateKey).export({ type: "spki", format: "der" }), algorithm, true, ["verify"]),
  };
  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(16).toString("hex").replace(/^[89a-f]/, "1"),
    name: `CN=${options.cn}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + (options.days ?? 30) * 86_400_000),
    keys,
    signingAlgorithm: type === "rsa" ? algorithm : { name: "ECDSA", hash: "SHA-256" },
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const certPem = cert.toString("pem");
  return { keyPem, traditionalKeyPem, certPem, cert: new X509Certificate(certPem) };
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
