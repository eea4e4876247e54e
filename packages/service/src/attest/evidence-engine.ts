/**
 * The attest engine on `@maa-policy/evidence`: `appraiseEvidence` turns the evidence into verified
 * claims (quote signature, QE binding, PCK chain to the pinned Intel root, runtime data binding;
 * SEV-SNP report signature and VCEK chain to the pinned AMD roots), and `attestationToken` gives
 * the token body. Evidence that does not verify is refused with InvalidParameter, as the service
 * refuses an invalid quote; a check the evidence package reports as `not-checked` (Intel collateral
 * is not supplied offline) does not refuse.
 */
import { createHash } from "node:crypto";
import { appraiseEvidence, attestationToken, setDigestProvider } from "@maa-policy/evidence";
import type { AppraiseOptions, DigestProvider } from "@maa-policy/evidence";
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
