/**
 * Policy management certificates (trusted signers): `GET /certificates`,
 * `POST /certificates:add|:remove`. Only isolated providers have signers; a change must be signed
 * by a current signer; the last signer cannot be removed.
 */
import type { FastifyInstance } from "fastify";
import { X509Certificate } from "node:crypto";
import { apiVersionOf, providerFor, type ServiceContext } from "../context.js";
import { ServiceError } from "../errors.js";
import { acceptSignerToken, jwsOfBody } from "../incoming.js";
import { thumbprint } from "../keys.js";
import { managementToken } from "../service-tokens.js";
import type { ProviderRecord } from "../store/store.js";

/** The JWKS of the trusted signers (`x-ms-policy-certificates`). */
export function signersJwks(record: ProviderRecord): { keys: Record<string, unknown>[] } {
  return {
    keys: record.signers.map((x5c) => {
      const ec = new X509Certificate(Buffer.from(x5c, "base64")).publicKey.asymmetricKeyType === "ec";
      return { alg: ec ? "ES256" : "RS256", kty: ec ? "EC" : "RSA", use: "sig", x5c: [x5c] };
    }),
  };
}

/** The recorded refusal of a signer change on a provider without signers (SERVICE.md section 8). */
const NOT_ISOLATED =
  "Attestation Enclave operation failed with 65530: RETURN_IF_TRUE('(GetPolicyRootCertificates().empty())') failed with 0xfffa:The operation is disallowed. (this provider uses the AAD trust model: only isolated providers have policy signers)";

/** Adds (`add`) or removes the certificate a signer token names; durable on return. */
export async function changeSigners(ctx: ServiceContext, record: ProviderRecord, op: "add" | "remove", body: unknown): Promise<Record<string, unknown>> {
  if (record.trustModel !== "isolated") throw new ServiceError("InvalidOperation", NOT_ISOLATED);
  const accepted = await acceptSignerToken(jwsOfBody(body), record.signers, ctx.now());
  const x5c = accepted.certificate.raw.toString("base64");
  await ctx.providers.store.update(record.name, (current) => {
    if (!current.signers.includes(accepted.signer)) {
      throw new ServiceError("InvalidOperation", "P4009: token: the signing certificate is no longer a trusted signer");
    }
    if (op === "add") return current.signers.includes(x5c) ? current : { ...current, signers: [...current.signers, x5c] };
    if (!current.signers.includes(x5c)) return current;
    if (current.signers.length === 1) {
      throw new ServiceError("InvalidOperation", "the last policy management certificate cannot be removed: add another one first");
    }
    return { ...current, signers: current.signers.filter((s) => s !== x5c) };
  });
  return { "x-ms-certificate-thumbprint": thumbprint(accepted.certificate), "x-ms-policycertificates-result": op === "add" ? "IsPresent" : "IsAbsent" };
}

export function certificateRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get("/:provider/certificates", async (req) => {
    apiVersionOf(req);
    const record = await providerFor(ctx, req, "Reader");
    return { token: await managementToken(await ctx.providers.issuer(record), ctx.now(), { "x-ms-policy-certificates": signersJwks(record) }) };
  });

  // `certificates:add` and `certificates:remove` are one path segment (`:` or `%3A`).
  app.post("/:provider/:operation", async (req) => {
    const segment = (req.params as { operation: string }).operation;
    const m = /^certificates:(add|remove)$/i.exec(segment);
    if (!m) throw new ServiceError("NotFound", `no such operation: POST /${segment}`);
    apiVersionOf(req);
    const record = await providerFor(ctx, req, "Contributor");
    const claims = await changeSigners(ctx, record, (m[1] as string).toLowerCase() as "add" | "remove", req.body);
    return { token: await managementToken(await ctx.providers.issuer(record), ctx.now(), claims) };
  });
}
