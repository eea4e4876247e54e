/**
 * `parseClaimsInput(text, sourceName)`: reads the claims to evaluate from JSON text (the file is
 * read by the caller). Accepted forms (documented in docs/claims-input.md):
 *
 * - a claims file `{"attestationType"?, "claims": [{"type","value","valueType"?,"issuer"?}]}`;
 * - a bare array of such claims;
 * - a shorthand object `{"x-ms-sgx-svn": 2, …}`: each member is one `AttestationService` claim,
 *   an array gives one claim per element, an object (or a nested array) becomes its JSON text;
 * - an MAA attestation token: the JWT compact string (bare, or as a JSON string, or in the
 *   attest response `{"token": "…"}`), its decoded `{"header"?, "body"|"payload"}` form, or its
 *   JSON payload. Its claims become `AttestationService` claims; the token is NOT verified.
 *
 * Pure: no I/O. Errors name the source and the JSON path (or the line and column).
 */
import { ATTESTATION_TYPES } from "../claims/catalog.js";
import { LineIndex } from "../text/line-index.js";
import type { InputClaim } from "./evaluate.js";
import { jsonTooDeepAt, jsonTooDeepMessage } from "../util/json-depth.js";
import { checkInputClaim, describeInput, numberClaimValue, roundedNumberPath } from "./input-claim.js";
import { jsonErrorOffset } from "./json-locate.js";

// CAUTION: public API
/** The result of `parseClaimsInput`. */
export interface ClaimsInput {
  readonly claims: InputClaim[];
  /** The attestation type the input names (claims file), or derives from (token `x-ms-attestation-type`). */
  readonly attestationType?: string;
  /** One line per problem, each naming the source and the JSON path; empty when the input is good. */
  readonly errors: string[];
  /** Which form was recognised. */
  readonly form?: "claims-file" | "claims-array" | "shorthand" | "token" | "token-payload";
}

// CAUTION: public API
/** Options of `parseClaimsInput`. */
export interface ClaimsInputOptions {
  /** `token`: the input must be an attestation token (JWT, or its JSON payload); default `auto`. */
  readonly mode?: "auto" | "token";
}

/** Token claims that the service adds after evaluation: not evidence, so not incoming claims. */
export const TOKEN_ENVELOPE_CLAIMS: readonly string[] = ["exp", "iat", "nbf", "iss", "jti", "x-ms-policy-hash", "x-ms-policy-signer"];

/** `x-ms-attestation-type` values and the attestation types they stand for. */
const TOKEN_ATTESTATION_TYPES: Readonly<Record<string, string>> = {
  sgx: "SgxEnclave",
  openenclave: "OpenEnclave",
  tpm: "Tpm",
  vbs: "VbsEnclave",
  azurevm: "AzureGuest",
  sevsnpvm: "SevSnpVm",
  tdxvm: "TdxVm",
};

const JWT_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const CLAIM_KEYS = new Set(["type", "value", "valueType", "issuer"]);
const FILE_KEYS = new Set(["claims", "attestationType", "$schema", "description"]);

function pathKey(path: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Parses claims from JSON text (or a JWT); never throws. */
export function parseClaimsInput(jsonText: string, sourceName: string, options: ClaimsInputOptions = {}): ClaimsInput {
  const errors: string[] = [];
  const err = (path: string, m: string) => errors.push(`${sourceName}: ${path}: ${m}`);
  const text = jsonText.charCodeAt(0) === 0xfeff ? jsonText.slice(1) : jsonText;
  const trimmed = text.trim();
  if (trimmed === "") {
    errors.push(`${sourceName}: the file is empty: expected claims JSON or an attestation token`);
    return { claims: [], errors };
  }
  if (JWT_RE.test(trimmed)) return fromJwt(trimmed, sourceName, "$");
  const deep = jsonTooDeepAt(text);
  if (deep >= 0) {
    const pos = new LineIndex(text).position(deep);
    errors.push(`${sourceName}:${pos.line + 1}:${pos.character + 1}: the JSON is ${jsonTooDeepMessage()}`);
    return { claims: [], errors };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    if (options.mode === "token" && !/^\s*[[{"]/.test(text)) {
      errors.push(`${sourceName}: not an attestation token: expected a JWT (header.payload.signature) or its JSON payload`);
      return { claims: [], errors };
    }
    const at = jsonErrorOffset(text);
    const pos = new LineIndex(text).position(Math.max(0, at));
    const what = at >= text.length ? "unexpected end of the text" : `unexpected ${JSON.stringify(text.charAt(at))}`;
    errors.push(`${sourceName}:${pos.line + 1}:${pos.character + 1}: not valid JSON: ${what}`);
    return { claims: [], errors };
  }
  if (typeof data === "string") {
    if (JWT_RE.test(data.trim())) return fromJwt(data.trim(), sourceName, "$");
    err("$", "a JSON string that is not an attestation token (JWT)");
    return { claims: [], errors };
  }
  if (options.mode === "token") {
    if (isObject(data) && typeof data["token"] === "string") return fromJwt(data["token"].trim(), sourceName, "$.token");
    if (isObject(data) && isDecodedToken(data)) {
      const key = isObject(data["body"]) ? "body" : "payload";
      return fromPayload(data[key] as Record<string, unknown>, sourceName, `$.${key}`);
    }
    if (isObject(data)) return fromPayload(data, sourceName, "$");
    err("$", "expected an attestation token: a JWT, or its JSON payload (an object)");
    return { claims: [], errors };
  }
  if (Array.isArray(data)) {
    const claims = claimList(data, "$", err);
    return { claims, errors, form: "claims-array" };
  }
  if (!isObject(data)) {
    err("$", `expected an object or an array of claims, not ${describeInput(data)}`);
    return { claims: [], errors };
  }
  if ("claims" in data) {
    const out: { claims: InputClaim[]; errors: string[]; attestationType?: string; form: "claims-file" } = { claims: [], errors, form: "claims-file" };
    for (const k of Object.keys(data)) {
      if (!FILE_KEYS.has(k)) err(pathKey("$", k), "unknown member: a claims file has `claims` and optionally `attestationType`");
    }
    const at = data["attestationType"];
    if (at !== undefined) {
      if (typeof at !== "string" || !(ATTESTATION_TYPES as readonly string[]).includes(at)) {
        err("$.attestationType", `must be one of ${ATTESTATION_TYPES.join(", ")}, not ${JSON.stringify(at)}`);
      } else out.attestationType = at;
    }
    const list = data["claims"];
    if (!Array.isArray(list)) err("$.claims", `must be an array of claims, not ${describeInput(list)}`);
    else out.claims = claimList(list, "$.claims", err);
    return out;
  }
  if (typeof data["token"] === "string" && JWT_RE.test(data["token"].trim()) && Object.keys(data).length === 1) {
    return fromJwt(data["token"].trim(), sourceName, "$.token");
  }
  if (isDecodedToken(data)) {
    const key = isObject(data["body"]) ? "body" : "payload";
    return fromPayload(data[key] as Record<string, unknown>, sourceName, `$.${key}`);
  }
  if (looksLikeTokenPayload(data)) return fromPayload(data, sourceName, "$");
  return { claims: shorthand(data, "$", err), errors, form: "shorthand" };
}

const DECODED_TOKEN_KEYS = new Set(["header", "body", "payload", "signature", "signature_present"]);

/** A decoded token: `{"header"?, "body" | "payload", "signature"?}`. */
function isDecodedToken(o: Record<string, unknown>): boolean {
  return (isObject(o["body"]) || isObject(o["payload"])) && Object.keys(o).every((k) => DECODED_TOKEN_KEYS.has(k));
}

function looksLikeTokenPayload(o: Record<string, unknown>): boolean {
  return typeof o["x-ms-ver"] === "string" || (typeof o["iss"] === "string" && typeof o["iat"] === "number" && typeof o["exp"] === "number");
}

function claimList(list: readonly unknown[], path: string, err: (path: string, m: string) => void): InputClaim[] {
  const out: InputClaim[] = [];
  list.forEach((item, i) => {
    const p = `${path}[${i}]`;
    let ok = true;
    if (isObject(item)) {
      for (const k of Object.keys(item)) {
        if (!CLAIM_KEYS.has(k)) {
          err(pathKey(p, k), "unknown member: a claim has `type`, `value`, `valueType` and `issuer`");
          ok = false;
        }
      }
    }
    const r = checkInputClaim(item);
    for (const problem of r.problems) err(problem.member === undefined ? p : `${p}.${problem.member}`, problem.message);
    if (ok && r.claim !== undefined) out.push(r.claim);
  });
  return out;
}

/**
 * The claims of one member of a shorthand object or a token payload (both read the same way): a
 * primitive is one claim; an array gives one claim per element; an object (or an array inside
 * the array) becomes its JSON text. A number must be a claim value (no fraction, nothing JSON
 * rounded), also inside JSON text; `null` is refused in a shorthand object and skipped in a
 * token payload (a token claim that is null is absent).
 */
function memberClaims(type: string, v: unknown, p: string, nullIsError: boolean, err: (path: string, m: string) => void, out: InputClaim[], inArray = false): void {
  if (typeof v === "boolean" || typeof v === "string") out.push({ type, value: v, issuer: "AttestationService" });
  else if (typeof v === "number") {
    const r = numberClaimValue(v);
    if ("message" in r) err(p, r.message);
    else out.push({ type, value: r.value, issuer: "AttestationService" });
  } else if (v === null) {
    if (nullIsError) err(p, "null is not a claim value: leave the member out");
  } else if (Array.isArray(v) && !inArray) v.forEach((x, i) => memberClaims(type, x, `${p}[${i}]`, nullIsError, err, out, true));
  else {
    const rounded = roundedNumberPath(v, p, pathKey);
    if (rounded !== undefined) err(rounded, "an integer beyond 2^53 − 1 was rounded by JSON: this JSON data cannot be passed on exactly");
    else out.push({ type, value: JSON.stringify(v), issuer: "AttestationService" });
  }
}

function shorthand(o: Record<string, unknown>, path: string, err: (path: string, m: string) => void): InputClaim[] {
  const out: InputClaim[] = [];
  for (const [k, v] of Object.entries(o)) memberClaims(k, v, pathKey(path, k), true, err, out);
  return out;
}

function fromPayload(o: Record<string, unknown>, sourceName: string, path: string): ClaimsInput {
  const errors: string[] = [];
  const err = (p: string, m: string) => errors.push(`${sourceName}: ${p}: ${m}`);
  const claims: InputClaim[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (TOKEN_ENVELOPE_CLAIMS.includes(k)) continue;
    memberClaims(k, v, pathKey(path, k), false, err, claims);
  }
  const out: { claims: InputClaim[]; errors: string[]; attestationType?: string; form: "token-payload" } = { claims, errors, form: "token-payload" };
  const t = o["x-ms-attestation-type"];
  if (typeof t === "string" && TOKEN_ATTESTATION_TYPES[t.toLowerCase()] !== undefined) out.attestationType = TOKEN_ATTESTATION_TYPES[t.toLowerCase()] as string;
  if (claims.length === 0 && errors.length === 0) errors.push(`${sourceName}: ${path}: the token payload holds no claims`);
  return out;
}

function base64UrlDecode(s: string): string | undefined {
  try {
    const b64 = s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4);
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function fromJwt(jwt: string, sourceName: string, path: string): ClaimsInput {
  const parts = jwt.split(".");
  const payloadText = base64UrlDecode(parts[1] ?? "");
  if (payloadText !== undefined && jsonTooDeepAt(payloadText) >= 0) {
    return { claims: [], errors: [`${sourceName}: ${path}: the token's payload is ${jsonTooDeepMessage()}`] };
  }
  let payload: unknown;
  if (payloadText !== undefined) {
    try {
      payload = JSON.parse(payloadText);
    } catch {
      payload = undefined;
    }
  }
  if (!isObject(payload)) {
    return { claims: [], errors: [`${sourceName}: ${path}: the token's payload is not a base64url-encoded JSON object`] };
  }
  const r = fromPayload(payload, sourceName, `${path} (payload)`);
  return { ...r, form: "token" };
}
