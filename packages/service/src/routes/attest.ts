/**
 * `POST /attest/{SgxEnclave,OpenEnclave,SevSnpVm,TdxVm}`: evidence → claims (the attest engine,
 * i.e. `@maa-policy/evidence`), the provider's policy (or `draftPolicyForAttestation`) evaluated
 * by policy-core, and the token: signed RS256, or unsigned (`alg: none`) for a draft policy.
 */
import type { FastifyInstance } from "fastify";
import { evaluate, unpackPolicy } from "@maa-policy/core";
import { isFailure, type AttestInput, type HeldData } from "../attest/engine.js";
import { apiVersionOf, providerFor, typeOf, type ServiceContext } from "../context.js";
import { ServiceError } from "../errors.js";
import { compileOrThrow, describeDiagnostic } from "../policy-check.js";
import { ATTEST_TYPES, defaultPolicyText, type AttestType } from "../providers/types.js";
import { ATTESTATION_TOKEN_LIFETIME, attestationToken, draftAttestationToken } from "../service-tokens.js";
import type { ProviderRecord } from "../store/store.js";

const heldDataSchema = {
  type: "object",
  properties: { data: { type: "string", maxLength: 1048576 }, dataType: { enum: ["Binary", "JSON"] } },
  required: ["data"],
} as const;

/** The JSON schema of attest bodies (AttestSgxEnclaveRequest, AttestOpenEnclaveRequest, AttestSevSnpVmRequest of the REST spec). */
export const attestBodySchema = {
  type: "object",
  properties: {
    // Non-empty, checked by the route (ajv's minLength walks a 6 KB quote code point by code point).
    quote: { type: "string" },
    report: { type: "string" },
    runtimeData: heldDataSchema,
    initTimeData: heldDataSchema,
    draftPolicyForAttestation: { type: "string", maxLength: 262144 },
    nonce: { type: "string", maxLength: 4096 },
  },
} as const;

/** Strict, canonical base64url (padding tolerated); 400 InvalidParameter naming the field otherwise. */
export function decodeBase64urlField(value: string, field: string): Uint8Array {
  const s = value.replace(/=+$/, "");
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) throw new ServiceError("InvalidParameter", `\`${field}\` is not base64url`);
  const bytes = Buffer.from(s, "base64url");
  if (bytes.toString("base64url") !== s) throw new ServiceError("InvalidParameter", `\`${field}\` is not canonical base64url`);
  return bytes;
}

function heldData(v: { data: string; dataType?: "Binary" | "JSON" } | undefined, field: string): HeldData | undefined {
  if (!v) return undefined;
  return { data: decodeBase64urlField(v.data, `${field}.data`), dataType: v.dataType ?? "Binary" };
}

/** Policy texts by stored policy JWS: a pure function of the token, read once (bounded). */
const storedTexts = new Map<string, string | undefined>();

/** The policy text in force for `type` on `record`: the stored one, or the default. */
export function policyTextOf(record: ProviderRecord, type: AttestType): string | undefined {
  const stored = record.policies[type];
  if (stored === undefined) return defaultPolicyText(type);
  if (storedTexts.has(stored)) return storedTexts.get(stored);
  const read = unpackPolicy(stored);
  const text = read.kind === "policy" ? read.text : undefined;
  if (storedTexts.size >= 64) storedTexts.clear();
  storedTexts.set(stored, text);
  return text;
}

function evaluationError(detail: string): ServiceError {
  return new ServiceError("PolicyEvaluationError", `Policy Evaluation Error has occurred Msg:[Policy Engine Exception: ${detail}]`);
}

export function attestRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.post("/:provider/attest/:type", { schema: { body: attestBodySchema } }, async (req) => {
    const apiVersion = apiVersionOf(req);
    const record = await providerFor(ctx, req, undefined);
    if (record.attestRequiresAuth) await ctx.auth.require(req.headers.authorization, "Reader", record.name);
    const segment = (req.params as { type: string }).type;
    if (segment.toLowerCase() === "tpm") throw new ServiceError("InvalidOperation", "TPM attestation (the multi-leg VBS protocol) is not emulated by this service");
    const type = typeOf(segment, apiVersion, ATTEST_TYPES) as AttestType;
    const body = req.body as {
      quote?: string;
      report?: string;
      runtimeData?: { data: string; dataType?: "Binary" | "JSON" };
      initTimeData?: { data: string; dataType?: "Binary" | "JSON" };
      draftPolicyForAttestation?: string;
      nonce?: string;
    };
    // SgxEnclave sends `quote`, OpenEnclave and SevSnpVm `report`; TdxVm clients send either (ruling).
    const field = type === "SgxEnclave" ? "quote" : type === "TdxVm" && body.report === undefined ? "quote" : "report";
    const evidenceText = body[field];
    if (evidenceText === undefined) throw new ServiceError("InvalidParameter", `the request has no \`${field}\` (the evidence of ${type})`);
    if (evidenceText === "") throw new ServiceError("InvalidParameter", `\`${field}\` is empty (the evidence of ${type})`);
    const isJsonReport = (type === "SevSnpVm" || type === "TdxVm") && evidenceText.trimStart().startsWith("{");
    const evidence = isJsonReport ? new TextEncoder().encode(evidenceText) : decodeBase64urlField(evidenceText, field);
    const draft = body.draftPolicyForAttestation;
    // The policy first: a bad draft is reported before any evidence work.
    const text = draft ?? policyTextOf(record, type);
    if (text === undefined) throw new ServiceError("InvalidOperation", `no ${type} attestation policy has been set on the attestation provider`);
    // Compiled once per text (stored policies were compiled when set, so this cannot fail for them).
    const policy = compileOrThrow(text);
    const now = ctx.now();
    const runtimeData = heldData(body.runtimeData, "runtimeData");
    const initTimeData = heldData(body.initTimeData, "initTimeData");
    const input: AttestInput = {
      type,
      evidence,
      evidenceText,
      now,
      ...(runtimeData ? { runtimeData } : {}),
      ...(initTimeData ? { initTimeData } : {}),
      ...(body.nonce !== undefined ? { nonce: body.nonce } : {}),
    };
    if (!ctx.attest.types.includes(type)) throw new ServiceError("InvalidOperation", `${type} evidence cannot be appraised by this build of the service`);
    const appraisal = await ctx.attest.appraise(input);
    if (isFailure(appraisal)) throw new ServiceError(appraisal.code, appraisal.message);
    const incoming = appraisal.claims;
    const result = evaluate(policy, incoming);
    // The console's trace of why: the same evaluation with the full trace, made only when the
    // console reads this attestation (evaluation is pure); kept with the answer when it is sent.
    const inputChars = evidenceText.length + (body.runtimeData?.data.length ?? 0) + (body.initTimeData?.data.length ?? 0) + (draft?.length ?? 0);
    ctx.feed.evaluated(req, result.decision, () => evaluate(policy, incoming, { trace: "full" }), text, draft !== undefined, inputChars);
    if (result.decision === "error") {
      const d = result.diagnostics.find((x) => x.severity === "error");
      throw evaluationError(d ? describeDiagnostic(text, d) : "evaluation failed");
    }
    if (result.decision === "deny") {
      throw evaluationError("No Permit claim was issued in the authorizationrules section (or a Deny claim was issued), authorization failed.");
    }
    const issuer = await ctx.providers.issuer(record);
    const claims = await appraisal.tokenClaims(result, { now, issuer: issuer.url, policyText: text, lifetimeSeconds: ATTESTATION_TOKEN_LIFETIME });
    return { token: draft !== undefined ? draftAttestationToken(issuer, claims) : await attestationToken(issuer, claims) };
  });
}
