/**
 * The evidence step of attest, behind one interface: evidence in, verified claims out. The
 * implementation is `@maa-policy/evidence` (see `evidence-engine.ts`); a type it cannot appraise
 * is refused, never faked.
 */
import type { EvalResult, InputClaim } from "@maa-policy/core";
import type { AttestType } from "../providers/types.js";

/** Runtime or init-time data of an attest request, decoded. */
export interface HeldData {
  readonly data: Uint8Array;
  readonly dataType: "Binary" | "JSON";
}

/** One attest request, decoded and schema-checked. */
export interface AttestInput {
  readonly type: AttestType;
  /** The evidence bytes (`quote` or `report`, base64url-decoded; for SevSnpVm/TdxVm the UTF-8 of the `report` string when it is JSON). */
  readonly evidence: Uint8Array;
  /** The evidence as sent (SevSnpVm and TdxVm reports may be JSON text). */
  readonly evidenceText: string;
  readonly runtimeData?: HeldData;
  readonly initTimeData?: HeldData;
  readonly nonce?: string;
  readonly now: Date;
}

/** What a successful appraisal gives. */
export interface Appraisal {
  /** The incoming claims the policy sees. */
  readonly claims: readonly InputClaim[];
  /**
   * The body of the attestation token for a permitting evaluation: the engine claims, the issued
   * claims, `x-ms-policy`, `x-ms-policy-hash`, `nonce`, `iss`, the times and `jti`.
   */
  tokenClaims(evaluation: Pick<EvalResult, "decision" | "token">, options: { now: Date; issuer: string; policyText: string; lifetimeSeconds: number }): Promise<Record<string, unknown>>;
}

/** A refusal of the evidence: the service's code and message. */
export interface AppraisalFailure {
  readonly code: "InvalidParameter" | "InvalidOperation";
  readonly message: string;
}

export interface AttestEngine {
  /** The types this engine can appraise. */
  readonly types: readonly AttestType[];
  appraise(input: AttestInput): Promise<Appraisal | AppraisalFailure>;
}

/** Whether `r` is a failure. */
export function isFailure(r: Appraisal | AppraisalFailure): r is AppraisalFailure {
  return "code" in r;
}
