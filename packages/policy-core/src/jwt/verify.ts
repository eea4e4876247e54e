/**
 * `verifyPolicyToken`: decides whether a provider would accept a policy (text or token) under its
 * trust model (LANGUAGE.md section 10). Isolated trust accepts only tokens whose signature verifies
 * with the key of `x5c[0]` when that certificate is a trusted signer; AAD trust accepts text,
 * unsigned and signed tokens (a signed one must still verify with its own `x5c[0]`). Every unsafe
 * token is rejected with its own P4xxx code. The clock is injected (`now`).
 */
import type { X509Certificate } from "node:crypto";
import { compactVerify, importX509 } from "jose";
import { requireSigningAlgorithm } from "./algorithms.js";
import {
  certificateInfo,
  checkAlgorithmFitsKey,
  checkKeyStrength,
  checkValidity,
  derBase64ToPem,
  isTrusted,
  readCertificate,
  readTrustedSigners,
  type CertificateInfo,
} from "./certificates.js";
import type { CompactParts, JwsHeader } from "./compact.js";
import { PolicyTokenError, fromJoseError, type TokenProblem } from "./errors.js";
import { POLICY_CLAIM, readPolicyClaim, type PayloadForm } from "./payload.js";
import { nonRs256Warning } from "./sign.js";
import { otherKindMessage, splitPolicyInput, tokenKind } from "./unpack.js";

// CAUTION: public API
/** The provider's trust model: `aad` (Azure AD authorisation) or `isolated` (trusted signers). */
export type TrustModel = "aad" | "isolated";

// CAUTION: public API
/** Options of `verifyPolicyToken`. */
export interface VerifyOptions {
  readonly trustModel: TrustModel;
  /** The verification time for certificate validity. Without it, validity is not checked (with a warning). */
  readonly now?: Date | undefined;
}

// CAUTION: public API
/** An accepted policy. */
export interface VerifiedPolicy {
  readonly verified: true;
  readonly trustModel: TrustModel;
  /** `text` (a plain policy), `policy` (a token) or `reset` (an empty-payload token). */
  readonly kind: "text" | "policy" | "reset";
  /** The policy text (absent for a reset token). */
  readonly text?: string;
  readonly payloadForm?: PayloadForm;
  readonly header?: JwsHeader;
  readonly signed: boolean;
  /** The signing certificate (`x5c[0]`) of a signed token. */
  readonly signer?: CertificateInfo;
  /** Whether the signer is among the trusted signers (undefined when no list was consulted). */
  readonly trusted?: boolean;
  readonly warnings: string[];
}

// CAUTION: public API
/** A refused policy or token, with the P4xxx code of the reason. */
export interface RejectedToken extends TokenProblem {
  readonly verified: false;
}

// CAUTION: public API
/** What `verifyPolicyToken` decided. */
export type VerifyResult = VerifiedPolicy | RejectedToken;

/** What a verified signature tells. */
export interface SignatureFacts {
  readonly signer: X509Certificate;
  readonly warnings: string[];
}

/** The warning when no clock was injected. */
export const NO_CLOCK_WARNING = "certificate validity period not checked: no verification time given";

/**
 * Verifies the signature of a signed token and the safety of its header. `trusted` undefined means
 * the trust list is not consulted. Throws `PolicyTokenError` with the code of the first problem.
 */
export async function verifySignature(
  parts: CompactParts,
  trusted: readonly X509Certificate[] | undefined,
  now: Date | undefined,
  context: string,
): Promise<SignatureFacts> {
  const header = parts.header;
  const alg = requireSigningAlgorithm(header.alg, context);
  if (header.crit !== undefined) {
    throw new PolicyTokenError("P4013", `${context}: the header marks \`crit\` extensions, which policy tokens never use`);
  }
  for (const p of ["jwk", "jku", "x5u"] as const) {
    if (header[p] !== undefined) {
      throw new PolicyTokenError("P4014", `${context}: the \`${p}\` header tries to supply the key: only \`x5c\` certificates are accepted`);
    }
  }
  if (!Array.isArray(header.x5c) || header.x5c.length === 0) {
    throw new PolicyTokenError("P4015", `${context}: a signed token must carry its certificate chain in \`x5c\``);
  }
  const chain = header.x5c.map((c: unknown, i: number) => readCertificate(c, `${context}: x5c[${i}]`));
  const leaf = chain[0] as X509Certificate;
  const warnings: string[] = [];
  if (now) checkValidity(leaf, now, `${context}: x5c[0]`);
  else warnings.push(NO_CLOCK_WARNING);
  checkKeyStrength(leaf.publicKey, `${context}: x5c[0]`);
  checkAlgorithmFitsKey(alg, leaf.publicKey, `${context}: x5c[0]`);
  try {
    const key = await importX509(derBase64ToPem(leaf.raw.toString("base64")), alg);
    await compactVerify(parts.token, key, { algorithms: [alg] });
  } catch (e) {
    throw fromJoseError(e, context);
  }
  if (trusted && !isTrusted(leaf, trusted)) {
    throw new PolicyTokenError(
      "P4009",
      `${context}: certificate \`${leaf.subject.split("\n").join(", ")}\` (SHA-256 ${leaf.fingerprint256}) is not a trusted signer`,
    );
  }
  if (alg !== "RS256") warnings.push(nonRs256Warning(alg));
  return { signer: leaf, warnings };
}

/** The trusted signers of `pem` (a bundle or several), or undefined for none given. */
export function trustedSignersOf(pem: string | readonly string[]): X509Certificate[] | undefined {
  const text = typeof pem === "string" ? pem : pem.join("\n");
  if (text.trim().length === 0) return undefined;
  return readTrustedSigners(text);
}

async function verifyOrThrow(
  input: string,
  trustedSignersPem: string | readonly string[],
  options: VerifyOptions,
): Promise<VerifiedPolicy> {
  const isolated = options.trustModel === "isolated";
  const trusted = trustedSignersOf(trustedSignersPem);
  if (isolated && trusted === undefined) {
    throw new PolicyTokenError("P4022", "trusted signers: none given: an isolated-trust provider needs its signer certificates (PEM)");
  }
  let parts: CompactParts;
  try {
    parts = splitPolicyInput(input);
  } catch (e) {
    if (e instanceof PolicyTokenError && e.code === "P4001") {
      if (isolated) {
        throw new PolicyTokenError("P4021", "input: a plain policy text: an isolated-trust provider accepts only signed policy tokens");
      }
      return { verified: true, trustModel: options.trustModel, kind: "text", text: input, signed: false, warnings: [] };
    }
    throw e;
  }
  const base = { verified: true as const, trustModel: options.trustModel, header: parts.header };
  // The signature is checked before the payload is interpreted: a tampered payload is a bad signature.
  let signerFacts: { signer?: CertificateInfo; trusted?: boolean; warnings: string[]; signed: boolean };
  if (parts.header.alg === "none") {
    if (isolated) {
      throw new PolicyTokenError("P4004", "token: unsigned (`alg: none`): an isolated-trust provider accepts only signed policy tokens");
    }
    signerFacts = { signed: false, warnings: [] };
  } else {
    const facts = await verifySignature(parts, isolated ? trusted : undefined, options.now, "token");
    signerFacts = {
      signed: true,
      signer: certificateInfo(facts.signer),
      warnings: facts.warnings,
      ...(trusted ? { trusted: isTrusted(facts.signer, trusted) } : {}),
    };
  }
  const kind = tokenKind(parts);
  if (kind === "signer" || kind === "other") throw new PolicyTokenError("P4003", otherKindMessage(parts));
  if (kind === "reset") return { ...base, kind: "reset", ...signerFacts };
  const { text, payloadForm } = readPolicyClaim(parts.payload?.[POLICY_CLAIM]);
  return { ...base, kind: "policy", text, payloadForm, ...signerFacts };
}

/**
 * Verifies a policy (a token or a plain text) for a provider with `options.trustModel`, against the
 * trusted signers (PEM; may be empty for `aad`). Never throws for bad input: a refusal is a
 * `RejectedToken` with its code.
 */
export async function verifyPolicyToken(
  token: string,
  trustedSignersPem: string | readonly string[],
  options: VerifyOptions,
): Promise<VerifyResult> {
  try {
    return await verifyOrThrow(token, trustedSignersPem, options);
  } catch (e) {
    if (e instanceof PolicyTokenError) return { verified: false, code: e.code, message: e.message };
    throw e;
  }
}
