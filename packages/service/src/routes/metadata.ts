/**
 * `GET /certs` (JWKS of the provider's signing key: `x5c`, `kid`, `kty`, and `n`/`e`, which the
 * real service omits but generic JOSE loaders need) and `GET /.well-known/openid-configuration`
 * (the recorded document, member order included). Neither takes an api-version or a token.
 */
import type { FastifyInstance } from "fastify";
import { providerFor, type ServiceContext } from "../context.js";

/** `claims_supported` as the real service lists it (SERVICE.md section 6). */
export const CLAIMS_SUPPORTED = [
  "cnf", "nonce", "x-ms-ver", "x-ms-attestation-type", "x-ms-policy-hash", "x-ms-policy-signer", "x-ms-sgx-is-debuggable",
  "x-ms-sgx-mrenclave", "x-ms-sgx-mrsigner", "x-ms-sgx-svn", "x-ms-sgx-ehd", "x-ms-sgx-collateral", "is-debuggable",
  "sgx-mrsigner", "sgx-mrenclave", "product-id", "svn", "tee",
] as const;

export function metadataRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get("/:provider/certs", async (req) => {
    const record = await providerFor(ctx, req, undefined);
    const { identity } = await ctx.providers.issuer(record);
    return { keys: [{ x5c: identity.jwk.x5c, kid: identity.jwk.kid, kty: identity.jwk.kty, n: identity.jwk.n, e: identity.jwk.e }] };
  });

  app.get("/:provider/.well-known/openid-configuration", async (req) => {
    const record = await providerFor(ctx, req, undefined);
    const url = ctx.providers.url(record.name);
    return {
      response_types_supported: ["token", "none"],
      id_token_signing_alg_values_supported: ["RS256"],
      revocation_endpoint: `${url}/revoke`,
      issuer: url,
      jwks_uri: `${url}/certs`,
      claims_supported: CLAIMS_SUPPORTED,
    };
  });
}
