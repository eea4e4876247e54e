/**
 * `GET|PUT /policies/{type}`, `POST /policies/{type}:reset` (also `%3Areset`), api-versions
 * 2020-10-01 and later. The submitted JWS is stored verbatim and returned as `x-ms-policy`.
 */
import type { FastifyInstance } from "fastify";
import { policyTokenHash } from "@maa-policy/core";
import { apiVersionOf, providerFor, typeOf, type ServiceContext } from "../context.js";
import { ServiceError } from "../errors.js";
import { acceptPolicyToken, jwsOfBody, type AcceptedPolicy } from "../incoming.js";
import { compileOrThrow } from "../policy-check.js";
import { defaultPolicyJws, type PolicyType } from "../providers/types.js";
import { managementToken } from "../service-tokens.js";
import type { ProviderRecord } from "../store/store.js";
import { X509Certificate } from "node:crypto";

const paramsSchema = {
  type: "object",
  properties: { provider: { type: "string" }, type: { type: "string" } },
  required: ["provider", "type"],
} as const;

/** The JWK of a policy signer in `x-ms-policy-signer` (SERVICE.md section 5.3). */
export function signerJwk(x5c: string): Record<string, unknown> {
  const kty = new X509Certificate(Buffer.from(x5c, "base64")).publicKey.asymmetricKeyType === "ec" ? "EC" : "RSA";
  return { alg: kty === "EC" ? "ES256" : "RS256", kty, use: "sig", x5c: [x5c] };
}

/**
 * For an isolated provider, checks inside the write that the signer is still trusted (a signer
 * removed between verification and write must not let the change through).
 */
export function stillTrusted(current: ProviderRecord, accepted: { signer?: string | undefined }): void {
  if (current.trustModel === "isolated" && (accepted.signer === undefined || !current.signers.includes(accepted.signer))) {
    throw new ServiceError("InvalidOperation", "P4009: token: the signing certificate is no longer a trusted signer");
  }
}

/** Stores a policy set (kind `policy`) or removes the stored policy (kind `reset`); durable on return. */
export async function applyPolicy(ctx: ServiceContext, record: ProviderRecord, type: PolicyType, accepted: AcceptedPolicy): Promise<void> {
  await ctx.providers.store.update(record.name, (current) => {
    stillTrusted(current, accepted);
    const policies = { ...current.policies };
    if (accepted.kind === "policy") policies[type] = accepted.token;
    else delete policies[type];
    return { ...current, policies };
  });
}

/** Verifies a set-policy body for `record`: a policy token the evaluator can run. */
export async function acceptSet(ctx: ServiceContext, record: ProviderRecord, body: unknown): Promise<AcceptedPolicy> {
  const accepted = await acceptPolicyToken(jwsOfBody(body), record.trustModel, record.signers, ctx.now());
  if (accepted.kind !== "policy") throw new ServiceError("InvalidParameter", "the token has an empty payload (a reset token): to reset, POST it to `/policies/{type}:reset`");
  compileOrThrow(accepted.text as string);
  return accepted;
}

export function policyRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get("/:provider/policies/:type", { schema: { params: paramsSchema } }, async (req) => {
    const apiVersion = apiVersionOf(req);
    const record = await providerFor(ctx, req, "Reader");
    const type = typeOf((req.params as { type: string }).type, apiVersion);
    const jws = record.policies[type] ?? (await defaultPolicyJws(type));
    return { token: await managementToken(await ctx.providers.issuer(record), ctx.now(), { "x-ms-policy": jws }) };
  });

  app.put("/:provider/policies/:type", { schema: { params: paramsSchema } }, async (req) => {
    const apiVersion = apiVersionOf(req);
    const record = await providerFor(ctx, req, "Contributor");
    const type = typeOf((req.params as { type: string }).type, apiVersion);
    const accepted = await acceptSet(ctx, record, req.body);
    await applyPolicy(ctx, record, type, accepted);
    const claims: Record<string, unknown> = {
      "x-ms-policy-result": "Updated",
      "x-ms-policy-token-hash": policyTokenHash(accepted.token),
    };
    if (accepted.signer) claims["x-ms-policy-signer"] = signerJwk(accepted.signer);
    return { token: await managementToken(await ctx.providers.issuer(record), ctx.now(), claims) };
  });

  // `{type}:reset`: the colon is part of the segment (sent as `:` or `%3A`, which routing decodes).
  app.post("/:provider/policies/:type", { schema: { params: paramsSchema } }, async (req) => {
    const segment = (req.params as { type: string }).type;
    const m = /^(.*):reset$/i.exec(segment);
    if (!m) throw new ServiceError("NotFound", `no such operation: POST /policies/${segment} (did you mean \`/policies/${segment}:reset\`?)`);
    const apiVersion = apiVersionOf(req);
    const record = await providerFor(ctx, req, "Contributor");
    const type = typeOf(m[1] as string, apiVersion);
    const accepted = await acceptPolicyToken(jwsOfBody(req.body), record.trustModel, record.signers, ctx.now());
    if (accepted.kind !== "reset") throw new ServiceError("InvalidParameter", "a reset token has an empty payload (unsigned: `eyJhbGciOiJub25lIn0..`); this one carries a policy");
    await applyPolicy(ctx, record, type, accepted);
    return { token: await managementToken(await ctx.providers.issuer(record), ctx.now(), { "x-ms-policy-result": "Removed" }) };
  });
}
