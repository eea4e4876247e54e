/**
 * The JWS bodies clients send for policy set/reset and signer add/remove: raw or JSON-quoted, then
 * verified under the provider's trust model by policy-core (`verifyPolicyToken`,
 * `verifySignerToken`). The headers only the live service accepted (`alg: "RSA256"`, the chain in
 * `jwk.x5c`; SERVICE.md section 0, fact 9) are verified here with node:crypto, since no JOSE
 * library takes them; `\u002B` escapes are plain JSON and need nothing.
 */
import { X509Certificate, verify as cryptoVerify } from "node:crypto";
import { SIGNER_CLAIMS, unpackPolicy, verifyPolicyToken, verifySignerToken, type TrustModel } from "@maa-policy/core";
import { ServiceError } from "./errors.js";

/** The compact JWS of a request body: the raw token, or a JSON string literal holding it. */
export function jwsOfBody(body: unknown): string {
  if (typeof body !== "string") throw new ServiceError("InvalidParameter", "the request body must be a compact JWS, raw or as a JSON string");
  let text = body.trim();
  if (text.startsWith('"')) {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      throw new ServiceError("InvalidParameter", "the request body starts with `\"` but is not a JSON string literal");
    }
    if (typeof v !== "string") throw new ServiceError("InvalidParameter", "the request body must be a JSON string holding a compact JWS");
    text = v.trim();
  }
  if (text.length === 0) throw new ServiceError("InvalidOperation", "Malformed JWT: the request body is empty");
  if (!text.includes(".")) throw new ServiceError("InvalidOperation", "Malformed JWT: Could not find first period in the token (P4002: a compact JWS has 3 parts separated by `.`)");
  return text;
}

/** PEM text of trusted signer certificates (standard base64 DER). */
export function signersPem(signers: readonly string[]): string {
  return signers.map((b64) => `-----BEGIN CERTIFICATE-----\n${(b64.match(/.{1,64}/g) ?? []).join("\n")}\n-----END CERTIFICATE-----\n`).join("");
}

function decodeJsonPart(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A header in one of the live service's non-standard forms: its real algorithm and chain. */
interface CompatHeader {
  readonly alg: "RS256" | "ES256";
  readonly x5c: unknown;
}

function compatHeader(header: Record<string, unknown>): CompatHeader | undefined {
  const jwk = header["jwk"];
  const jwkX5c = jwk !== null && typeof jwk === "object" && !Array.isArray(jwk) ? (jwk as Record<string, unknown>)["x5c"] : undefined;
  const quirkAlg = header["alg"] === "RSA256" || header["alg"] === "ECDH256";
  if (!quirkAlg && jwkX5c === undefined) return undefined;
  if (header["crit"] !== undefined || header["jku"] !== undefined || header["x5u"] !== undefined) return undefined;
  const alg = header["alg"] === "RSA256" || header["alg"] === "RS256" ? "RS256" : header["alg"] === "ECDH256" || header["alg"] === "ES256" ? "ES256" : undefined;
  if (!alg) return undefined;
  return { alg, x5c: header["x5c"] ?? jwkX5c };
}

const tokenError = (code: string, message: string) => new ServiceError("InvalidOperation", `${code}: ${message}`);

/**
 * Verifies a token with a non-standard header (see `compatHeader`): the signature with `x5c[0]`,
 * its validity at `now`, and (when `trusted` is given) that `x5c[0]` is one of them. Returns the signer.
 */
function verifyCompat(token: string, h: CompatHeader, trusted: readonly string[] | undefined, now: Date): X509Certificate {
  const [hp, pp, sp] = token.split(".") as [string, string, string];
  if (!Array.isArray(h.x5c) || h.x5c.length === 0 || typeof h.x5c[0] !== "string") throw tokenError("P4015", "token: a signed token must carry its certificate chain in `x5c`");
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(Buffer.from(h.x5c[0], "base64"));
  } catch {
    throw tokenError("P4016", "token: x5c[0]: not an X.509 certificate");
  }
  if (now < new Date(leaf.validFrom)) throw tokenError("P4011", `token: x5c[0]: the certificate is not valid before ${new Date(leaf.validFrom).toISOString()}`);
  if (now > new Date(leaf.validTo)) throw tokenError("P4010", `token: x5c[0]: the certificate expired at ${new Date(leaf.validTo).toISOString()}`);
  const key = leaf.publicKey;
  const sig = Buffer.from(sp, "base64url");
  const data = Buffer.from(`${hp}.${pp}`, "ascii");
  const ok =
    h.alg === "RS256"
      ? key.asymmetricKeyType === "rsa" && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048 && cryptoVerify("sha256", data, key, sig)
      : key.asymmetricKeyType === "ec" && cryptoVerify("sha256", data, { key, dsaEncoding: "ieee-p1363" }, sig);
  if (!ok) throw tokenError("P4008", "token: the signature does not verify with the key of the `x5c[0]` certificate");
  if (trusted && !trusted.includes(leaf.raw.toString("base64"))) {
    throw tokenError("P4009", `token: certificate \`${leaf.subject.split("\n").join(", ")}\` is not a trusted signer`);
  }
  return leaf;
}

/** A policy set or reset that the provider accepts. */
export interface AcceptedPolicy {
  readonly kind: "policy" | "reset";
  readonly token: string;
  /** The policy text (kind `policy`). */
  readonly text?: string;
  /** The signing certificate, standard base64 DER (signed tokens). */
  readonly signer?: string;
}

/** Verifies a policy or reset token for a provider; throws `ServiceError` (InvalidOperation) when refused. */
export async function acceptPolicyToken(token: string, trustModel: TrustModel, signers: readonly string[], now: Date): Promise<AcceptedPolicy> {
  const [hp] = token.split(".");
  const header = decodeJsonPart(hp ?? "");
  const compat = header ? compatHeader(header) : undefined;
  if (compat) {
    const leaf = verifyCompat(token, compat, trustModel === "isolated" ? signers : undefined, now);
    const read = unpackPolicy(token);
    if (read.kind === "error") throw tokenError(read.code, read.message);
    const signer = leaf.raw.toString("base64");
    return read.kind === "reset" ? { kind: "reset", token, signer } : { kind: "policy", token, text: read.text, signer };
  }
  if (trustModel === "isolated" && signers.length === 0) throw tokenError("P4022", "the isolated provider has no trusted signer");
  const result = await verifyPolicyToken(token, trustModel === "isolated" ? signersPem(signers) : "", { trustModel, now });
  if (!result.verified) throw tokenError(result.code, result.message);
  if (result.kind === "text") throw tokenError("P4001", "the body is a policy text, not a JWS: pack it first (`maa-policy pack`)");
  const signer = result.signer ? pemToDer(result.signer.pem) : undefined;
  const base = { token, ...(signer ? { signer } : {}) };
  return result.kind === "reset" ? { kind: "reset", ...base } : { kind: "policy", text: result.text as string, ...base };
}

function pemToDer(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
}

/** A verified signer token: the certificate it names. */
export interface AcceptedSigner {
  readonly certificate: X509Certificate;
  /** The trusted signer that signed the token, standard base64 DER. */
  readonly signer: string;
}

/** Verifies a policy signer token against the provider's signers; throws `ServiceError` when refused. */
export async function acceptSignerToken(token: string, signers: readonly string[], now: Date): Promise<AcceptedSigner> {
  const [hp, pp] = token.split(".");
  const header = decodeJsonPart(hp ?? "");
  const compat = header ? compatHeader(header) : undefined;
  if (compat) {
    const signer = verifyCompat(token, compat, signers, now).raw.toString("base64");
    const payload = decodeJsonPart(pp ?? "") ?? {};
    const claim = SIGNER_CLAIMS.find((c) => Object.prototype.hasOwnProperty.call(payload, c));
    if (!claim) throw tokenError("P4003", `Could not find "policyCertificate" claim in policy token`);
    const jwk = payload[claim] as { x5c?: unknown } | null;
    const x5c = jwk && typeof jwk === "object" ? jwk.x5c : undefined;
    if (!Array.isArray(x5c) || typeof x5c[0] !== "string") throw tokenError("P4024", `payload: \`${claim}\` has no \`x5c\` certificate`);
    try {
      return { certificate: new X509Certificate(Buffer.from(x5c[0], "base64")), signer };
    } catch {
      throw tokenError("P4016", `payload: ${claim}: x5c[0]: not an X.509 certificate`);
    }
  }
  const result = await verifySignerToken(token, signersPem(signers), { now });
  if (!result.verified) throw tokenError(result.code, result.message);
  return { certificate: new X509Certificate(result.certificate.pem), signer: pemToDer(result.signer.pem) };
}
