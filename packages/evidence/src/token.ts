/**
 * The claims of the attestation token MAA would issue for appraised evidence and a policy
 * evaluation: the engine claims (the incoming claims, without the `$` aliases, with JSON claims as
 * objects, and the legacy SGX copies `aas-ehd`, `maa-ehd`, `maa-attestationcollateral`), the
 * policy's issued claims, `x-ms-policy` (the issued claims as an object, as the service does since
 * 2022), `x-ms-policy-hash`, `x-ms-ver`, `nonce`, `iss`, `iat`/`nbf`/`exp` from the time given and a
 * `jti`; keys sorted as MAA serializes them. No signature: this is what a relying party would read.
 */
import type { EvalResult } from "@maa-policy/core";
import { toHex } from "./bytes.js";
import { digest } from "./hash.js";
import { toBase64Url } from "./input.js";
import type { Appraisal, TokenOptions } from "./types.js";

/** Claims whose value is JSON text among the incoming claims and an object in the token. */
export const JSON_CLAIMS: ReadonlySet<string> = new Set(["x-ms-runtime", "x-ms-inittime", "x-ms-sgx-collateral"]);

/** The default `iss` when no instance is given. */
export const DEFAULT_ISSUER = "https://localhost";

/** The token's lifetime in seconds (8 h, as MAA). */
export const TOKEN_LIFETIME = 28800;

/**
 * Policy hashes by policy text: a service issues every token of a provider under the same few
 * policies. A pure function of the text, so the cache is invisible; bounded, FIFO.
 */
const POLICY_HASHES = new Map<string, Promise<string>>();
const POLICY_HASHES_SIZE = 64;

/** `x-ms-policy-hash`: base64url(SHA-256(base64url(UTF-8 policy text))). */
export function policyHashOf(policyText: string): Promise<string> {
  const hit = POLICY_HASHES.get(policyText);
  if (hit !== undefined) return hit;
  const inner = toBase64Url(new TextEncoder().encode(policyText));
  const h = digest("SHA-256", new TextEncoder().encode(inner)).then((d) => toBase64Url(d));
  if (POLICY_HASHES.size >= POLICY_HASHES_SIZE) POLICY_HASHES.delete(POLICY_HASHES.keys().next().value as string);
  POLICY_HASHES.set(policyText, h);
  h.catch(() => {
    if (POLICY_HASHES.get(policyText) === h) POLICY_HASHES.delete(policyText);
  });
  return h;
}

/** Sets an own data member, even one named `__proto__` (a claim type can be any string). */
function setMember(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** JSON with a bigint as its decimal string; without a bigint (JSON.stringify throws on the first), no replacer call per value. */
function jsonText(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));
  }
}

function tokenValue(type: string, value: unknown): unknown {
  if (typeof value === "bigint") return value;
  if (JSON_CLAIMS.has(type) && typeof value === "string") {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

/**
 * The token MAA would issue, or undefined when the policy did not permit (MAA then returns an
 * error, not a token). Evidence that did not verify still gives the token the policy would issue;
 * the caller shows `appraisal.verified` next to it (MAA itself would refuse it).
 */
export async function attestationToken(appraisal: Appraisal, evaluation: Pick<EvalResult, "decision" | "token">, options: TokenOptions): Promise<Record<string, unknown> | undefined> {
  if (evaluation.decision !== "permit") return undefined;
  const t: Record<string, unknown> = {};
  for (const c of appraisal.claims) {
    if (c.type.startsWith("$")) continue;
    setMember(t, c.type, tokenValue(c.type, c.value));
  }
  if (t["x-ms-sgx-ehd"] !== undefined) {
    setMember(t, "aas-ehd", t["x-ms-sgx-ehd"]);
    setMember(t, "maa-ehd", t["x-ms-sgx-ehd"]);
  }
  if (t["x-ms-sgx-collateral"] !== undefined) setMember(t, "maa-attestationcollateral", t["x-ms-sgx-collateral"]);
  const issued: Record<string, unknown> = {};
  for (const k of Object.keys(evaluation.token).sort()) setMember(issued, k, evaluation.token[k]);
  for (const [k, v] of Object.entries(issued)) setMember(t, k, v);
  setMember(t, "x-ms-policy", issued);
  setMember(t, "x-ms-policy-hash", await policyHashOf(options.policyText));
  setMember(t, "x-ms-ver", "1.0");
  if (appraisal.input?.nonce !== undefined) setMember(t, "nonce", appraisal.input.nonce);
  const iat = Math.floor(options.now.getTime() / 1000);
  setMember(t, "iss", options.issuer ?? DEFAULT_ISSUER);
  setMember(t, "iat", iat);
  setMember(t, "nbf", iat);
  setMember(t, "exp", iat + (options.lifetimeSeconds ?? TOKEN_LIFETIME));
  const sorted = sortKeys(t);
  const text = jsonText(sorted);
  const jti = toHex(await digest("SHA-256", new TextEncoder().encode(text)));
  setMember(sorted, "jti", jti);
  return sortKeys(sorted);
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) setMember(out, k, o[k]);
  return out;
}
