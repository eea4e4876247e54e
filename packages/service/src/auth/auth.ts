/**
 * Bearer tokens: issued by the service's own issuer key (`maa-policy serve token`), verified on
 * every management call. Roles: Reader may read policies and signers (and attest on a provider
 * that requires a token for it); Contributor and Owner may also write. A hand-made, unsigned,
 * expired or wrong-audience token is refused with 401 and the challenge; too small a role is 403.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { SignJWT, errors as joseErrors, jwtVerify } from "jose";
import { ServiceError } from "../errors.js";

/** The audience of data-plane tokens (the resource of MAA). */
export const AUDIENCE = "https://attest.azure.net";
/** The `iss` of tokens minted by a local service. */
export const TOKEN_ISSUER = "maa-policy-local";
/** Default lifetime of a minted token (seconds). */
export const ACCESS_TOKEN_LIFETIME = 24 * 3600;

export const ROLES = ["Reader", "Contributor", "Owner"] as const;
export type Role = (typeof ROLES)[number];
const RANK: Record<Role, number> = { Reader: 1, Contributor: 2, Owner: 3 };

/** The role a CLI spelling names (`reader`, `contributor`, `owner`), or undefined. */
export function parseRole(name: string): Role | undefined {
  return ROLES.find((r) => r.toLowerCase() === name.toLowerCase());
}

/** The `WWW-Authenticate` challenge of a 401 (LANGUAGE.md section 12). */
export function challenge(error?: string): string {
  const base = 'Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", resource="https://attest.azure.net"';
  return error ? `${base}, error="${error}"` : base;
}

/** Options of a minted token. */
export interface MintOptions {
  readonly role: Role;
  /** Restricts the token to one provider; absent for every provider. */
  readonly provider?: string | undefined;
  readonly now: Date;
  readonly lifetimeSeconds?: number;
}

/** Mints a bearer token signed RS256 by `issuerKeyPem`. */
export async function mintAccessToken(issuerKeyPem: string, options: MintOptions): Promise<string> {
  const iat = Math.floor(options.now.getTime() / 1000);
  const claims: Record<string, unknown> = { roles: [options.role], sub: "local-developer" };
  if (options.provider !== undefined) claims["provider"] = options.provider;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", typ: "JWT" })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + (options.lifetimeSeconds ?? ACCESS_TOKEN_LIFETIME))
    .sign(createPrivateKey(issuerKeyPem));
}

/** Who a verified token speaks for. */
export interface Principal {
  readonly role: Role;
  readonly provider?: string;
}

/** Verifies bearer tokens with the issuer's public key and the service clock. */
export class Authenticator {
  private readonly publicKey: KeyObject;

  constructor(issuerKeyPem: string, private readonly now: () => Date) {
    this.publicKey = createPublicKey(createPrivateKey(issuerKeyPem));
  }

  private unauthorized(message: string, error?: string): ServiceError {
    return new ServiceError("Unauthorized", message, { "www-authenticate": challenge(error) });
  }

  /** The principal of the `Authorization` header value; throws a 401 `ServiceError` when there is none or it is refused. */
  async verify(authorization: string | undefined): Promise<Principal> {
    if (authorization === undefined || authorization.trim() === "") throw this.unauthorized("the request has no bearer token: send `Authorization: Bearer <token>` (mint one with `maa-policy serve token`)");
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) throw this.unauthorized("the `Authorization` header is not `Bearer <token>`", "invalid_request");
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(m[1] as string, this.publicKey, {
        algorithms: ["RS256"],
        audience: AUDIENCE,
        issuer: TOKEN_ISSUER,
        currentDate: this.now(),
      }));
    } catch (e) {
      throw this.unauthorized(`the bearer token was refused: ${describeJoseError(e)}`, "invalid_token");
    }
    const roles = Array.isArray(payload["roles"]) ? payload["roles"].filter((r): r is Role => (ROLES as readonly unknown[]).includes(r)) : [];
    if (roles.length === 0) throw this.unauthorized("the bearer token was refused: it grants no role", "invalid_token");
    const role = roles.reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
    const provider = payload["provider"];
    return typeof provider === "string" ? { role, provider } : { role };
  }

  /** Verifies and checks that the principal has at least `role` on `provider`; throws 401 or 403. */
  async require(authorization: string | undefined, role: Role, provider: string): Promise<Principal> {
    const principal = await this.verify(authorization);
    if (principal.provider !== undefined && principal.provider !== provider) {
      throw new ServiceError("Forbidden", `the bearer token is for provider \`${principal.provider}\`, not \`${provider}\``);
    }
    if (RANK[principal.role] < RANK[role]) {
      throw new ServiceError("Forbidden", `the operation needs the ${role} role; the bearer token grants ${principal.role}`);
    }
    return principal;
  }
}

function describeJoseError(e: unknown): string {
  if (e instanceof joseErrors.JWTExpired) return "it has expired";
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    if (e.claim === "aud") return `wrong audience (expected \`${AUDIENCE}\`)`;
    if (e.claim === "iss") return `wrong issuer (expected \`${TOKEN_ISSUER}\`)`;
    if (e.claim === "nbf") return "it is not valid yet";
    return `claim \`${e.claim}\` is invalid`;
  }
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return "its signature does not verify with this service's issuer key";
  if (e instanceof joseErrors.JOSEAlgNotAllowed) return "only RS256 tokens signed by this service are accepted";
  if (e instanceof joseErrors.JOSEError) return "it is not a well-formed signed JWT";
  return "it is not a well-formed signed JWT";
}
