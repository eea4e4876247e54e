/**
 * The provider management API (the local stand-in for New-/Get-/Remove-AzAttestation):
 * `GET /_providers`, `GET|PUT|DELETE /_providers/{name}`. Reading needs Reader, changing needs
 * Contributor (a token without a provider restriction).
 */
import type { FastifyInstance } from "fastify";
import { X509Certificate } from "node:crypto";
import type { ServiceContext } from "../context.js";
import { ServiceError } from "../errors.js";

const createSchema = {
  type: "object",
  properties: {
    trustModel: { enum: ["AAD", "Isolated", "aad", "isolated"] },
    signersPem: { type: "string", maxLength: 262144 },
    attestRequiresAuth: { type: "boolean" },
  },
  additionalProperties: false,
} as const;

/** The standard base64 DER of every certificate in a PEM text; 400 for a bad block. */
export function certificatesOfPem(pem: string): string[] {
  const out: string[] = [];
  for (const m of pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) {
    const b64 = (m[1] ?? "").replace(/\s+/g, "");
    try {
      out.push(new X509Certificate(Buffer.from(b64, "base64")).raw.toString("base64"));
    } catch {
      throw new ServiceError("InvalidParameter", `signers: certificate ${out.length + 1} is not an X.509 certificate`);
    }
  }
  return out;
}

async function requireGlobal(ctx: ServiceContext, authorization: string | undefined, role: "Reader" | "Contributor"): Promise<void> {
  const p = await ctx.auth.verify(authorization);
  if (p.provider !== undefined) throw new ServiceError("Forbidden", "provider management needs a token that is not restricted to one provider");
  await ctx.auth.require(authorization, role, "");
}

export function providerRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get("/_providers", async (req) => {
    await requireGlobal(ctx, req.headers.authorization, "Reader");
    return { value: ctx.providers.store.list().map((r) => ctx.providers.status(r)) };
  });

  app.get("/_providers/:name", async (req) => {
    await requireGlobal(ctx, req.headers.authorization, "Reader");
    return ctx.providers.status(ctx.providers.record((req.params as { name: string }).name));
  });

  app.put("/_providers/:name", { schema: { body: createSchema } }, async (req, reply) => {
    await requireGlobal(ctx, req.headers.authorization, "Contributor");
    const body = (req.body ?? {}) as { trustModel?: string; signersPem?: string; attestRequiresAuth?: boolean };
    const signers = body.signersPem ? certificatesOfPem(body.signersPem) : [];
    if (body.signersPem !== undefined && signers.length === 0) throw new ServiceError("InvalidParameter", "signersPem: no `-----BEGIN CERTIFICATE-----` block found");
    const trustModel = body.trustModel ? (body.trustModel.toLowerCase() as "aad" | "isolated") : signers.length > 0 ? "isolated" : "aad";
    const record = await ctx.providers.create({ name: (req.params as { name: string }).name, trustModel, signers, attestRequiresAuth: body.attestRequiresAuth ?? false });
    reply.code(201);
    return ctx.providers.status(record);
  });

  app.delete("/_providers/:name", async (req, reply) => {
    await requireGlobal(ctx, req.headers.authorization, "Contributor");
    const name = (req.params as { name: string }).name;
    ctx.providers.record(name);
    await ctx.providers.remove(name);
    reply.code(204);
    return null;
  });
}
