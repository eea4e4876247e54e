/**
 * What every route handler is given: the providers, the clock, the authenticator, the attestation
 * engine, the console's feed of the last attestations, and the small helpers shared by the routes (api-version, type names, auth by role).
 */
import type { FastifyRequest } from "fastify";
import type { Authenticator, Role } from "./auth/auth.js";
import { ServiceError } from "./errors.js";
import type { ProviderRegistry } from "./providers/registry.js";
import { API_VERSIONS, canonicalType, typeAvailable, type ApiVersion, type PolicyType } from "./providers/types.js";
import type { ProviderRecord } from "./store/store.js";
import type { AttestEngine } from "./attest/engine.js";
import type { AttestationFeed } from "./attest/feed.js";

export interface ServiceContext {
  readonly providers: ProviderRegistry;
  readonly now: () => Date;
  readonly auth: Authenticator;
  readonly attest: AttestEngine;
  /** The last attestations with their traces, for the console (`GET /_console/attestations`). */
  readonly feed: AttestationFeed;
}

/** The api-version of a data-plane request; 400 InvalidParameter when missing or unknown. */
export function apiVersionOf(req: FastifyRequest): ApiVersion {
  const q = req.query as Record<string, unknown>;
  const v = q["api-version"];
  if (v === undefined) throw new ServiceError("InvalidParameter", `the query parameter \`api-version\` is required (one of ${API_VERSIONS.join(", ")})`);
  if (typeof v !== "string" || !(API_VERSIONS as readonly string[]).includes(v)) {
    throw new ServiceError("InvalidParameter", `api-version \`${String(v)}\` is not supported: use one of ${API_VERSIONS.join(", ")}`);
  }
  return v as ApiVersion;
}

/** The canonical attestation type of a path segment (case-insensitive) at `apiVersion`; 400 otherwise. */
export function typeOf(segment: string, apiVersion: ApiVersion, allowed?: readonly PolicyType[]): PolicyType {
  const t = canonicalType(segment);
  if (!t || (allowed && !allowed.includes(t))) {
    const names = allowed ?? ["SgxEnclave", "OpenEnclave", "Tpm", "SevSnpVm", "TdxVm"];
    throw new ServiceError("InvalidParameter", `attestation type \`${segment}\` is not known here: use one of ${names.join(", ")}`);
  }
  if (!typeAvailable(t, apiVersion)) {
    throw new ServiceError("InvalidParameter", `attestation type \`${t}\` needs a later api-version than ${apiVersion}`);
  }
  return t;
}

/** The provider of the request's first path segment, after checking the caller has `role` (none: no check). */
export async function providerFor(ctx: ServiceContext, req: FastifyRequest, role: Role | undefined): Promise<ProviderRecord> {
  const name = (req.params as { provider: string }).provider;
  const record = ctx.providers.record(name);
  if (role) await ctx.auth.require(req.headers.authorization, role, name);
  return record;
}
