/**
 * The attest engine on `@maa-policy/evidence`: `appraiseEvidence` turns the evidence into verified
 * claims (quote signature, QE binding, PCK chain to the pinned Intel root, runtime data binding;
 * SEV-SNP report signature and VCEK chain to the pinned AMD roots), and `attestationToken` gives
 * the token body. Evidence that does not verify is refused with InvalidParameter, as the service
 * refuses an invalid quote; a check the evidence package reports as `not-checked` (Intel collateral
 * is not supplied offline) does not refuse.
 */
import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";
import { appraiseEvidence, attestationToken, setDigestProvider, setP256Verifier } from "@maa-policy/evidence";
import type { AppraiseOptions, DigestProvider, P256Verifier } from "@maa-policy/evidence";
import type { AttestEngine, AttestInput } from "./engine.js";

/**
 * node:crypto's synchronous SHA-2 for the evidence package's digests (the same bytes as
 * WebCrypto's): hashing the few kilobytes of an attest on the event loop costs it less than
 * handing each digest to libuv's pool as a WebCrypto job (bench:service; docs/service.md).
 */
export const NODE_DIGEST: DigestProvider = (algorithm, data) => {
  const d = createHash(algorithm === "SHA-256" ? "sha256" : "sha384").update(data).digest();
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
};
setDigestProvider(NODE_DIGEST);

/**
 * P-256 public keys by their SubjectPublicKeyInfo (base64): a platform's quotes repeat its
 * attestation key and its PCK certificate. `null` for bytes that are not a P-256 key. A pure
 * function of the bytes, bounded (cleared beyond 256).
 */
const NODE_P256_KEYS = new Map<string, KeyObject | null>();

function nodeP256Key(spki: Uint8Array): KeyObject | null {
  const id = Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength).toString("base64");
  let key = NODE_P256_KEYS.get(id);
  if (key === undefined) {
    try {
      const k = createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" });
      key = k.asymmetricKeyType === "ec" && k.asymmetricKeyDetails?.namedCurve === "prime256v1" ? k : null;
    } catch {
      key = null;
    }
    if (NODE_P256_KEYS.size >= 256) NODE_P256_KEYS.clear();
    NODE_P256_KEYS.set(id, key);
  }
  return key;
}

/**
 * node:crypto's ECDSA P-256 verification for the evidence package's raw signatures (the same
 * answers as WebCrypto's), synchronous, on the event loop: one verification is about 0.1 ms of
 * CPU, and handing it to libuv's pool (as WebCrypto and `crypto.verify(..., callback)` do) costs
 * more than that under load: a pool thread to wake, the loop preempted while it runs, and the
 * reply to wait for behind other requests (bench:service; docs/service.md).
 */
export const NODE_P256_VERIFY: P256Verifier = (spki, signature, data) => {
  const key = nodeP256Key(spki);
  if (key === null || signature.length !== 64) return false;
  try {
    return verify("sha256", data, { key, dsaEncoding: "ieee-p1363" }, signature);
  } catch {
    return false;
  }
};
setP256Verifier(NODE_P256_VERIFY);

function optionsOf(input: AttestInput): AppraiseOptions {
  return {
    type: input.type,
    now: input.now,
    ...(input.runtimeData ? { runtimeData: input.runtimeData.data, runtimeDataType: input.runtimeData.dataType } : {}),
    ...(input.initTimeData ? { initTimeData: input.initTimeData.data, initTimeDataType: input.initTimeData.dataType } : {}),
    ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
  };
}

export const EVIDENCE_ENGINE: AttestEngine = {
  types: ["SgxEnclave", "OpenEnclave", "SevSnpVm", "TdxVm"],
  async appraise(input) {
    const text = input.type === "SevSnpVm" || input.type === "TdxVm" ? new TextDecoder().decode(input.evidence) : undefined;
    const evidence = text !== undefined && text.trimStart().startsWith("{") ? text : input.evidence;
    const appraisal = await appraiseEvidence(evidence, optionsOf(input));
    if (!appraisal.verified) {
      const failed = appraisal.checks.find((c) => c.status === "failed");
      const d = appraisal.diagnostics.find((x) => x.severity === "error");
      const why = d ? `${d.code}: ${d.message}` : failed ? `${failed.title}: ${failed.detail}` : "the evidence did not verify";
      return { code: "InvalidParameter", message: `The specified ${input.type === "SgxEnclave" || input.type === "TdxVm" ? "quote" : "report"} was invalid: ${why}` };
    }
    return {
      claims: appraisal.claims,
      async tokenClaims(evaluation, options) {
        const claims = await attestationToken(appraisal, evaluation, options);
        if (!claims) throw new TypeError("tokenClaims needs a permitting evaluation");
        return claims;
      },
    };
  },
};
