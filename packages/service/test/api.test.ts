/**
 * The data-plane API over real HTTPS: policies (unsigned, signed, reset, types, api-versions),
 * trust models, signers, roles and the 401 challenge, metadata, the 2018-preview routes, and the
 * JWS headers only the live service accepted.
 */
import { createPrivateKey, sign as cryptoSign, X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { policyHash, policyTokenHash, createSignerToken } from "@maa-policy/core";
import { DEFAULT_SGX_POLICY, type RunningService } from "@maa-policy/service";
import { MINIMAL, RESET_UNSIGNED, V, call, claimsOf, headerOf, makeSigner, signed, start, unsigned, type Signer } from "./support/service.js";

// Key generation and process start-up are slow when the machine is loaded (the whole suite runs in parallel).
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

let s: RunningService;
let contributor: string;
let reader: string;
let signer1: Signer;
let signer2: Signer;
let stranger: Signer;

let issuerKeyPem: string;

beforeAll(async () => {
  issuerKeyPem = (await makeSigner("issuer")).keyPem;
  s = await start({ issuerKeyPem });
  [signer1, signer2, stranger] = await Promise.all([makeSigner("signer one"), makeSigner("signer two"), makeSigner("stranger")]);
  await s.providers.create({ name: "iso1", trustModel: "isolated", signers: [signer1.der] });
  contributor = await s.mintToken("Contributor");
  reader = await s.mintToken("Reader");
});
afterAll(async () => {
  await s?.close();
});

describe("policies on an AAD provider", () => {
  it("gets the real default SGX policy as an unsigned JWS in a signed 1-hour management token", async () => {
    const r = await call(s, "GET", `/aad/policies/SgxEnclave?${V}`, { token: reader });
    expect(r.status).toBe(200);
    const h = headerOf(r.json.token);
    expect(Object.keys(h)).toEqual(["alg", "jku", "kid", "typ"]);
    expect(h).toMatchObject({ alg: "RS256", jku: `${s.url}/aad/certs`, typ: "JWT" });
    const c = claimsOf(r.json.token);
    expect(Object.keys(c)).toEqual(["exp", "iat", "iss", "nbf", "x-ms-policy"]);
    expect(c.exp - c.iat).toBe(3600);
    expect(c.nbf).toBe(c.iat);
    expect(c.iss).toBe(`${s.url}/aad`);
    const payload = JSON.parse(Buffer.from(c["x-ms-policy"].split(".")[1], "base64url").toString());
    expect(Buffer.from(payload.AttestationPolicy, "base64url").toString()).toBe(DEFAULT_SGX_POLICY);
  });

  it("type names are case-insensitive; TPM has no default policy", async () => {
    const r = await call(s, "GET", `/aad/policies/TPM?${V}`, { token: reader });
    expect(r.status).toBe(200);
    expect(claimsOf(r.json.token)["x-ms-policy"]).toBe(RESET_UNSIGNED);
  });

  it("sets an unsigned policy (raw, JSON-quoted, either content type), stores it verbatim, resets it", async () => {
    const jws = await unsigned(MINIMAL);
    for (const [body, contentType] of [
      [jws, "text/plain"],
      [JSON.stringify(jws), "application/json"],
      [JSON.stringify(jws), "text/plain"],
      [jws, "application/json"],
    ] as const) {
      const put = await call(s, "PUT", `/aad/policies/OpenEnclave?${V}`, { token: contributor, body, contentType });
      expect(put.status, put.text).toBe(200);
      const c = claimsOf(put.json.token);
      expect(c["x-ms-policy-result"]).toBe("Updated");
      expect(c["x-ms-policy-token-hash"]).toBe(policyTokenHash(jws));
      expect(c["x-ms-policy-signer"]).toBeUndefined();
      const get = await call(s, "GET", `/aad/policies/openenclave?${V}`, { token: reader });
      expect(claimsOf(get.json.token)["x-ms-policy"]).toBe(jws);
    }
    for (const path of [`/aad/policies/OpenEnclave:reset?${V}`, `/aad/policies/OpenEnclave%3Areset?${V}`, `/aad/policies/OpenEnclave%3areset?${V}&tee=OpenEnclave`]) {
      const reset = await call(s, "POST", path, { token: contributor, body: JSON.stringify(RESET_UNSIGNED), contentType: "text/plain" });
      expect(reset.status, reset.text).toBe(200);
      const c = claimsOf(reset.json.token);
      expect(c["x-ms-policy-result"]).toBe("Removed");
      expect(c["x-ms-policy-token-hash"]).toBeUndefined();
    }
    const get = await call(s, "GET", `/aad/policies/OpenEnclave?${V}`, { token: reader });
    const payload = JSON.parse(Buffer.from(claimsOf(get.json.token)["x-ms-policy"].split(".")[1], "base64url").toString());
    expect(Buffer.from(payload.AttestationPolicy, "base64url").toString()).toBe(DEFAULT_SGX_POLICY);
  });

  it("accepts a self-signed policy and reports its signer", async () => {
    const jws = await signed(MINIMAL, stranger);
    const put = await call(s, "PUT", `/aad/policies/SgxEnclave?${V}`, { token: contributor, body: jws, contentType: "text/plain" });
    expect(put.status, put.text).toBe(200);
    expect(claimsOf(put.json.token)["x-ms-policy-signer"]).toEqual({ alg: "RS256", kty: "RSA", use: "sig", x5c: [stranger.der] });
    await call(s, "POST", `/aad/policies/SgxEnclave:reset?${V}`, { token: contributor, body: RESET_UNSIGNED, contentType: "text/plain" });
  });

  it("refuses a policy with a syntax error: PolicyParsingError with our code, line and column", async () => {
    const put = await call(s, "PUT", `/aad/policies/SgxEnclave?${V}`, { token: contributor, body: await unsigned("version=1.0;\n[ authorizationrules { => permit(); };"), contentType: "text/plain" });
    expect(put.status).toBe(400);
    expect(put.json.error.code).toBe("PolicyParsingError");
    expect(put.json.error.message).toMatch(/P1\d{3} at line 2, column 1: /);
    expect(put.json.error.innererror).toEqual({ code: put.json.error.code, message: put.json.error.message });
  });

  it("refuses a tampered signed policy with InvalidOperation and the P4 code", async () => {
    const jws = await signed(MINIMAL, stranger);
    const [h, , sig] = jws.split(".");
    const tampered = `${h}.${Buffer.from(JSON.stringify({ AttestationPolicy: Buffer.from("version=1.0; authorizationrules{=> deny();};").toString("base64url") })).toString("base64url")}.${sig}`;
    const put = await call(s, "PUT", `/aad/policies/SgxEnclave?${V}`, { token: contributor, body: tampered, contentType: "text/plain" });
    expect(put.status).toBe(400);
    expect(put.json.error.code).toBe("InvalidOperation");
    expect(put.json.error.message).toMatch(/^P4008: /);
  });

  it("api-versions: 2022-08-01 knows SevSnpVm, 2020-10-01 does not; TdxVm needs 2025-06-01; unknown versions refused", async () => {
    expect((await call(s, "GET", "/aad/policies/SevSnpVm?api-version=2022-08-01", { token: reader })).status).toBe(200);
    expect((await call(s, "GET", "/aad/policies/SevSnpVm?api-version=2020-10-01", { token: reader })).json.error.code).toBe("InvalidParameter");
    expect((await call(s, "GET", "/aad/policies/TdxVm?api-version=2025-06-01", { token: reader })).status).toBe(200);
    expect((await call(s, "GET", "/aad/policies/TdxVm?api-version=2022-08-01", { token: reader })).status).toBe(400);
    for (const q of ["", "?api-version=2019-01-01", "?api-version=2018-09-01-preview"]) {
      const r = await call(s, "GET", `/aad/policies/SgxEnclave${q}`, { token: reader });
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe("InvalidParameter");
    }
    expect((await call(s, "GET", `/aad/policies/Nonsense?${V}`, { token: reader })).json.error.message).toMatch(/Nonsense/);
  });
});

describe("isolated trust model and signers", () => {
  it("refuses an unsigned policy and one signed by an untrusted key", async () => {
    const a = await call(s, "PUT", `/iso1/policies/SgxEnclave?${V}`, { token: contributor, body: await unsigned(MINIMAL), contentType: "text/plain" });
    expect(a.status).toBe(400);
    expect(a.json.error.code).toBe("InvalidOperation");
    expect(a.json.error.message).toMatch(/^P4004/);
    const b = await call(s, "PUT", `/iso1/policies/SgxEnclave?${V}`, { token: contributor, body: await signed(MINIMAL, stranger), contentType: "text/plain" });
    expect(b.status).toBe(400);
    expect(b.json.error.message).toMatch(/^P4009/);
    const c = await call(s, "POST", `/iso1/policies/SgxEnclave:reset?${V}`, { token: contributor, body: RESET_UNSIGNED, contentType: "text/plain" });
    expect(c.status).toBe(400);
  });

  it("accepts a policy signed by a trusted signer; a signer added by a trusted signer can then sign; the last signer cannot be removed", async () => {
    const ok = await call(s, "PUT", `/iso1/policies/SgxEnclave?${V}`, { token: contributor, body: await signed(MINIMAL, signer1), contentType: "text/plain" });
    expect(ok.status, ok.text).toBe(200);
    expect(claimsOf(ok.json.token)["x-ms-policy-signer"].x5c).toEqual([signer1.der]);

    const certs0 = claimsOf((await call(s, "GET", `/iso1/certificates?${V}`, { token: reader })).json.token)["x-ms-policy-certificates"];
    expect(certs0).toEqual({ keys: [{ alg: "RS256", kty: "RSA", use: "sig", x5c: [signer1.der] }] });

    const addByStranger = (await createSignerToken(signer2.certPem, stranger.keyPem, stranger.certPem)).token;
    const refused = await call(s, "POST", `/iso1/certificates:add?${V}`, { token: contributor, body: addByStranger, contentType: "text/plain" });
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toMatch(/^P4009/);

    const add = (await createSignerToken(signer2.certPem, signer1.keyPem, signer1.certPem)).token;
    const added = await call(s, "POST", `/iso1/certificates:add?${V}`, { token: contributor, body: JSON.stringify(add), contentType: "application/json" });
    expect(added.status, added.text).toBe(200);
    const ac = claimsOf(added.json.token);
    expect(ac["x-ms-policycertificates-result"]).toBe("IsPresent");
    expect(ac["x-ms-certificate-thumbprint"]).toBe(new X509Certificate(signer2.certPem).fingerprint.replace(/:/g, ""));
    // Re-adding answers IsPresent again.
    expect(claimsOf((await call(s, "POST", `/iso1/certificates:add?${V}`, { token: contributor, body: add, contentType: "text/plain" })).json.token)["x-ms-policycertificates-result"]).toBe("IsPresent");

    const bySigner2 = await call(s, "PUT", `/iso1/policies/OpenEnclave?${V}`, { token: contributor, body: await signed(MINIMAL, signer2), contentType: "text/plain" });
    expect(bySigner2.status, bySigner2.text).toBe(200);

    // signer2 removes signer1 (signed by signer2), then cannot remove itself: the last one.
    const remove1 = (await createSignerToken(signer1.certPem, signer2.keyPem, signer2.certPem, { claimName: "maa-policyCertificate" })).token;
    const removed = await call(s, "POST", `/iso1/certificates%3Aremove?${V}`, { token: contributor, body: remove1, contentType: "text/plain" });
    expect(removed.status, removed.text).toBe(200);
    expect(claimsOf(removed.json.token)["x-ms-policycertificates-result"]).toBe("IsAbsent");
    const remove2 = (await createSignerToken(signer2.certPem, signer2.keyPem, signer2.certPem, { claimName: "aas-policyCertificate" })).token;
    const last = await call(s, "POST", `/iso1/certificates:remove?${V}`, { token: contributor, body: remove2, contentType: "text/plain" });
    expect(last.status).toBe(400);
    expect(last.json.error.code).toBe("InvalidOperation");
    expect(last.json.error.message).toMatch(/last/);
    // signer1 is no longer trusted.
    const old = await call(s, "PUT", `/iso1/policies/SgxEnclave?${V}`, { token: contributor, body: await signed(MINIMAL, signer1), contentType: "text/plain" });
    expect(old.json.error.message).toMatch(/^P4009/);
  });

  it("AAD providers have no signers: add is InvalidOperation, get is an empty set", async () => {
    const add = (await createSignerToken(signer2.certPem, signer1.keyPem, signer1.certPem)).token;
    const r = await call(s, "POST", `/aad/certificates:add?${V}`, { token: contributor, body: add, contentType: "text/plain" });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("InvalidOperation");
    expect(r.json.error.message).toMatch(/GetPolicyRootCertificates\(\)\.empty\(\)/);
    expect(claimsOf((await call(s, "GET", `/aad/certificates?${V}`, { token: reader })).json.token)["x-ms-policy-certificates"]).toEqual({ keys: [] });
  });
});

describe("headers only the live service accepted", () => {
  async function handSigned(header: string, payload: object, signer: Signer): Promise<string> {
    const h = Buffer.from(header).toString("base64url");
    const p = Buffer.from(JSON.stringify(payload)).toString("base64url");
    const sig = cryptoSign("sha256", Buffer.from(`${h}.${p}`), createPrivateKey(signer.keyPem)).toString("base64url");
    return `${h}.${p}.${sig}`;
  }
  let iso: Signer;
  beforeAll(async () => {
    iso = await makeSigner("compat signer");
    await s.providers.create({ name: "iso2", trustModel: "isolated", signers: [iso.der] });
  });

  it("alg RSA256 with x5c and \\u002B escapes (.NET), alg RSA256 with jwk.x5c (Python)", async () => {
    const payload = { AttestationPolicy: Buffer.from(MINIMAL).toString("base64url") };
    const escaped = JSON.stringify({ alg: "RSA256", x5c: [iso.der] }).replace(/\+/g, "\\u002B");
    expect(escaped).toContain("\\u002B");
    for (const header of [escaped, JSON.stringify({ alg: "RSA256", jwk: { x5c: [iso.der] } })]) {
      const jws = await handSigned(header, payload, iso);
      const r = await call(s, "PUT", `/iso2/policies/SgxEnclave?${V}`, { token: contributor, body: JSON.stringify(jws), contentType: "application/json" });
      expect(r.status, r.text).toBe(200);
      expect(claimsOf(r.json.token)["x-ms-policy-token-hash"]).toBe(policyTokenHash(jws));
      // The same header with a bad signature is refused.
      const bad = jws.slice(0, -4) + (jws.endsWith("AAAA") ? "BBBB" : "AAAA");
      expect((await call(s, "PUT", `/iso2/policies/SgxEnclave?${V}`, { token: contributor, body: bad, contentType: "text/plain" })).status).toBe(400);
    }
    const byStranger = await handSigned(JSON.stringify({ alg: "RSA256", jwk: { x5c: [stranger.der] } }), payload, stranger);
    const r = await call(s, "PUT", `/iso2/policies/SgxEnclave?${V}`, { token: contributor, body: byStranger, contentType: "text/plain" });
    expect(r.json.error.message).toMatch(/^P4009/);
  });

  it("a Python-style signer token (jwk.x5c) adds a certificate", async () => {
    const other = await makeSigner("python added");
    const jws = await handSigned(JSON.stringify({ alg: "RSA256", jwk: { x5c: [iso.der] } }), { policyCertificate: { kty: "RSA", x5c: [other.der] } }, iso);
    const r = await call(s, "POST", `/iso2/certificates:add?${V}`, { token: contributor, body: JSON.stringify(jws), contentType: "application/json" });
    expect(r.status, r.text).toBe(200);
    expect(claimsOf((await call(s, "GET", `/iso2/certificates?${V}`, { token: reader })).json.token)["x-ms-policy-certificates"].keys).toHaveLength(2);
  });
});

describe("authentication and roles", () => {
  it("no token: 401 with the challenge and the error body", async () => {
    const r = await call(s, "GET", `/aad/policies/SgxEnclave?${V}`);
    expect(r.status).toBe(401);
    expect(r.headers["www-authenticate"]).toBe('Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", resource="https://attest.azure.net"');
    expect(r.json.error.code).toBe("Unauthorized");
  });

  it("reader cannot write (403); a hand-made, unsigned, expired or wrong-audience token is 401", async () => {
    const w = await call(s, "PUT", `/aad/policies/SgxEnclave?${V}`, { token: reader, body: await unsigned(MINIMAL), contentType: "text/plain" });
    expect(w.status).toBe(403);
    expect(w.json.error.code).toBe("Forbidden");
    const { mintAccessToken, generateRsaKeyPem } = await import("@maa-policy/service");
    const forged = await generateRsaKeyPem();
    const { SignJWT } = await import("jose");
    const key = createPrivateKey(issuerKeyPem);
    const iat = Math.floor(Date.now() / 1000);
    const bad = [
      // signed by another key
      await mintAccessToken(forged, { role: "Owner", now: new Date() }),
      // unsigned
      `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify({ aud: "https://attest.azure.net", roles: ["Owner"], iss: "maa-policy-local" })).toString("base64url")}.`,
      // expired
      await mintAccessToken(issuerKeyPem, { role: "Owner", now: new Date("2000-01-01T00:00:00Z") }),
      // wrong audience
      await new SignJWT({ roles: ["Owner"] }).setProtectedHeader({ alg: "RS256" }).setIssuer("maa-policy-local").setAudience("https://management.azure.com").setIssuedAt(iat).setExpirationTime(iat + 600).sign(key),
      // no role
      await new SignJWT({}).setProtectedHeader({ alg: "RS256" }).setIssuer("maa-policy-local").setAudience("https://attest.azure.net").setIssuedAt(iat).setExpirationTime(iat + 600).sign(key),
      "not-a-jwt",
    ];
    for (const t of bad) {
      const r = await call(s, "GET", `/aad/policies/SgxEnclave?${V}`, { token: t });
      expect(r.status, t).toBe(401);
      expect(r.json.error.code).toBe("Unauthorized");
      expect(r.headers["www-authenticate"]).toMatch(/error="invalid_(token|request)"/);
    }
  });

  it("a token restricted to one provider is refused on another", async () => {
    const only = await s.mintToken("Contributor", "iso1");
    expect((await call(s, "GET", `/iso1/policies/SgxEnclave?${V}`, { token: only })).status).toBe(200);
    expect((await call(s, "GET", `/aad/policies/SgxEnclave?${V}`, { token: only })).status).toBe(403);
  });

  it("metadata and certs need no token; attest needs one only where the provider says so", async () => {
    expect((await call(s, "GET", "/aad/certs")).status).toBe(200);
    await s.providers.create({ name: "authattest", trustModel: "aad", attestRequiresAuth: true });
    const r = await call(s, "POST", `/authattest/attest/SgxEnclave?${V}`, { body: JSON.stringify({ quote: "AAAA" }) });
    expect(r.status).toBe(401);
    expect(r.headers["www-authenticate"]).toMatch(/^Bearer authorization_uri=/);
  });
});

describe("metadata", () => {
  it("/certs: x5c (self-signed, subject = provider URL), kid, kty, n, e; the key signs the tokens", async () => {
    const r = await call(s, "GET", "/iso1/certs");
    const [key] = r.json.keys;
    expect(Object.keys(key)).toEqual(["x5c", "kid", "kty", "n", "e"]);
    const cert = new X509Certificate(Buffer.from(key.x5c[0], "base64"));
    expect(cert.subject).toBe(`CN=${s.url}/iso1`);
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const token = (await call(s, "GET", `/iso1/policies/SgxEnclave?${V}`, { token: reader })).json.token;
    expect(headerOf(token).kid).toBe(key.kid);
    const [h, p, sig] = token.split(".");
    const { verify } = await import("node:crypto");
    expect(verify("sha256", Buffer.from(`${h}.${p}`), cert.publicKey, Buffer.from(sig, "base64url"))).toBe(true);
  });

  it("OpenID metadata as recorded, with this provider's URLs", async () => {
    const r = await call(s, "GET", "/aad/.well-known/openid-configuration");
    expect(Object.keys(r.json)).toEqual(["response_types_supported", "id_token_signing_alg_values_supported", "revocation_endpoint", "issuer", "jwks_uri", "claims_supported"]);
    expect(r.json.issuer).toBe(`${s.url}/aad`);
    expect(r.json.jwks_uri).toBe(`${s.url}/aad/certs`);
  });
});

describe("2018-09-01-preview routes", () => {
  const P = "api-version=2018-09-01-preview";
  it("get, PrepareToSet + set, reset, and certificates", async () => {
    const get = await call(s, "GET", `/aad/operations/policy/current?${P}&tee=SgxEnclave`, { token: reader });
    expect(get.status).toBe(200);
    expect(typeof get.json.Policy).toBe("string");
    const jws = await unsigned(MINIMAL);
    const prep = await call(s, "POST", `/aad/operations/policy/updatepolicy?${P}&tee=SgxEnclave`, { token: contributor, body: JSON.stringify(jws), contentType: "text/plain" });
    expect(prep.status, prep.text).toBe(200);
    expect(claimsOf(prep.json)["aas-policyHash"]).toBe(policyHash(MINIMAL));
    const set = await call(s, "PUT", `/aad/operations/policy/current?${P}&tee=SgxEnclave`, { token: contributor, body: prep.json, contentType: "text/plain" });
    expect(set.status, set.text).toBe(200);
    expect((await call(s, "GET", `/aad/operations/policy/current?${P}&tee=sgxenclave`, { token: reader })).json.Policy).toBe(jws);
    const reset = await call(s, "POST", `/aad/operations/policy/current?${P}&tee=SgxEnclave`, { token: contributor, body: JSON.stringify(RESET_UNSIGNED), contentType: "application/json" });
    expect(reset.status).toBe(200);
    expect(reset.json).toBeNull();
    const certs = await call(s, "GET", `/iso1/operations/policy/certificates?${P}`, { token: reader });
    expect(claimsOf(certs.json)["aas-policyCertificates"].keys.length).toBeGreaterThan(0);
    const forged = await call(s, "PUT", `/aad/operations/policy/current?${P}&tee=SgxEnclave`, { token: contributor, body: jws, contentType: "text/plain" });
    expect(forged.status).toBe(400);
    expect((await call(s, "GET", `/aad/operations/policy/current?${P}&tee=VSMEnclave`, { token: reader })).status).toBe(400);
  });
});
