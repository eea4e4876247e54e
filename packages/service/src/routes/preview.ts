/**
 * The 2018-09-01-preview routes, as far as SERVICE.md section 2.3 documents them:
 * `/operations/policy/current` (get, set through PrepareToSet, reset), `/operations/policy/updatepolicy`
 * (PrepareToSet: a service-signed JWT with `aas-policyHash`, which `PUT current` takes back) and
 * `/operations/policy/certificates` (get, add, remove; raw JWT strings with `aas-policyCertificates`).
 * `tee` names the type: SgxEnclave or OpenEnclave (CyResComponent and VSMEnclave are refused).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { compactVerify } from "jose";
import { policyHash } from "@maa-policy/core";
import { providerFor, type ServiceContext } from "../context.js";
import { ServiceError } from "../errors.js";
import { acceptPolicyToken, jwsOfBody } from "../incoming.js";
import { defaultPolicyJws, type PolicyType } from "../providers/types.js";
import { managementToken } from "../service-tokens.js";
import { acceptSet, applyPolicy } from "./policies.js";
import { changeSigners, signersJwks } from "./certificates.js";

const PREVIEW = "2018-09-01-preview";

function previewVersion(req: FastifyRequest): void {
  const v = (req.query as Record<string, unknown>)["api-version"];
  if (v !== PREVIEW) throw new ServiceError("InvalidParameter", `api-version \`${String(v ?? "")}\` is not supported on /operations/policy: use ${PREVIEW}`);
}

function teeOf(req: FastifyRequest): PolicyType {
  const tee = (req.query as Record<string, unknown>)["tee"];
  if (typeof tee !== "string") throw new ServiceError("InvalidParameter", "the query parameter `tee` is required (SgxEnclave or OpenEnclave)");
  const t = tee.toLowerCase();
  if (t === "sgxenclave") return "SgxEnclave";
  if (t === "openenclave") return "OpenEnclave";
  throw new ServiceError("InvalidParameter", `tee \`${tee}\` is not served here: use SgxEnclave or OpenEnclave`);
}

export function previewRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get("/:provider/operations/policy/current", async (req) => {
    previewVersion(req);
    const record = await providerFor(ctx, req, "Reader");
    const type = teeOf(req);
    return { Policy: record.policies[type] ?? (await defaultPolicyJws(type)) };
  });

  app.post("/:provider/operations/policy/updatepolicy", async (req, reply) => {
    previewVersion(req);
    const record = await providerFor(ctx, req, "Contributor");
    const type = teeOf(req);
    const accepted = await acceptSet(ctx, record, req.body);
    const issuer = await ctx.providers.issuer(record);
    const prepared = await managementToken(issuer, ctx.now(), { "aas-policyHash": policyHash(accepted.text as string), "aas-policy": accepted.token, "aas-tee": type });
    reply.type("application/json; charset=utf-8");
    return JSON.stringify(prepared);
  });

  app.put("/:provider/operations/policy/current", async (req, reply) => {
    previewVersion(req);
    const record = await providerFor(ctx, req, "Contributor");
    const type = teeOf(req);
    const prepared = jwsOfBody(req.body);
    const issuer = await ctx.providers.issuer(record);
    let claims: Record<string, unknown>;
    try {
      const { payload } = await compactVerify(prepared, issuer.identity.certificate.publicKey, { algorithms: ["RS256"] });
      claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    } catch {
      throw new ServiceError("InvalidOperation", "the body must be the token returned by POST /operations/policy/updatepolicy for this provider");
    }
    if (claims["aas-tee"] !== type || typeof claims["aas-policy"] !== "string") throw new ServiceError("InvalidOperation", `the prepared token is not for tee \`${type}\``);
    if (typeof claims["exp"] === "number" && claims["exp"] * 1000 < ctx.now().getTime()) throw new ServiceError("InvalidOperation", "the prepared token has expired");
    const accepted = await acceptSet(ctx, record, claims["aas-policy"]);
    await applyPolicy(ctx, record, type, accepted);
    reply.code(200);
    return "";
  });

  app.post("/:provider/operations/policy/current", async (req) => {
    previewVersion(req);
    const record = await providerFor(ctx, req, "Contributor");
    const type = teeOf(req);
    const accepted = await acceptPolicyToken(jwsOfBody(req.body), record.trustModel, record.signers, ctx.now());
    if (accepted.kind !== "reset") throw new ServiceError("InvalidParameter", "a reset token has an empty payload (`eyJhbGciOiJub25lIn0..`)");
    await applyPolicy(ctx, record, type, accepted);
    return null;
  });

  app.get("/:provider/operations/policy/certificates", async (req, reply) => {
    previewVersion(req);
    const record = await providerFor(ctx, req, "Reader");
    const token = await managementToken(await ctx.providers.issuer(record), ctx.now(), { "aas-policyCertificates": signersJwks(record) });
    reply.type("application/json; charset=utf-8");
    return JSON.stringify(token);
  });

  for (const [method, op] of [["PUT", "add"], ["POST", "remove"]] as const) {
    app.route({
      method,
      url: "/:provider/operations/policy/certificates",
      handler: async (req, reply) => {
        previewVersion(req);
        const record = await providerFor(ctx, req, "Contributor");
        await changeSigners(ctx, record, op, req.body);
        const fresh = ctx.providers.record(record.name);
        const token = await managementToken(await ctx.providers.issuer(fresh), ctx.now(), { "aas-policyCertificates": signersJwks(fresh) });
        reply.type("application/json; charset=utf-8");
        return JSON.stringify(token);
      },
    });
  }
}
