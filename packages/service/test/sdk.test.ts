/**
 * Microsoft's JS SDK (`@azure/attestation`) as the client, over HTTPS, with its own token
 * validation on (signature against `/certs` by kid, exp/nbf, issuer): metadata, signers, policy
 * get/set/reset unsigned and signed, policy management certificates on an isolated provider.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AttestationAdministrationClient, AttestationClient, KnownAttestationType } from "@azure/attestation";
import type { TokenCredential } from "@azure/core-auth";
import type { RunningService } from "@maa-policy/service";
import { MINIMAL, makeSigner, start, type Signer } from "./support/service.js";

// Key generation and process start-up are slow when the machine is loaded (the whole suite runs in parallel).
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

let s: RunningService;
let signer: Signer;
let second: Signer;

function credential(token: string): TokenCredential {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600_000 }) };
}

function validation(provider: string) {
  return { validateToken: true, validateExpirationTime: true, validateNotBeforeTime: true, validateIssuer: true, expectedIssuer: `${s.url}/${provider}`, timeValidationSlack: 5 };
}

function options(provider: string) {
  return { tlsOptions: { ca: s.tlsCertificate as string }, validationOptions: validation(provider) };
}

beforeAll(async () => {
  s = await start();
  [signer, second] = await Promise.all([makeSigner("sdk signer"), makeSigner("sdk second signer")]);
  await s.providers.create({ name: "sdkiso", trustModel: "isolated", signers: [signer.der] });
});
afterAll(async () => {
  await s?.close();
});

describe("@azure/attestation against the local service", () => {
  it("AttestationClient: OpenID metadata and signing certificates", async () => {
    const client = new AttestationClient(`${s.url}/aad`, options("aad"));
    const meta = await client.getOpenIdMetadata();
    expect(meta["issuer"]).toBe(`${s.url}/aad`);
    expect(meta["jwks_uri"]).toBe(`${s.url}/aad/certs`);
    const signers = await client.getAttestationSigners();
    expect(signers).toHaveLength(1);
    expect(signers[0]?.keyId).toBeTruthy();
    expect(signers[0]?.certificates).toHaveLength(1);
  });

  it("administration on an AAD provider: get, set unsigned, set signed, reset", async () => {
    const admin = new AttestationAdministrationClient(`${s.url}/aad`, credential(await s.mintToken("Contributor")), options("aad"));
    const initial = await admin.getPolicy(KnownAttestationType.SgxEnclave);
    expect(initial.body).toContain('issue(type="is-debuggable", value=c.value)');

    const set = await admin.setPolicy(KnownAttestationType.OpenEnclave, MINIMAL);
    expect(set.body.policyResolution).toBe("Updated");
    expect(set.body.policySigner).toBeUndefined();
    expect((await admin.getPolicy(KnownAttestationType.OpenEnclave)).body).toBe(MINIMAL);

    const signedSet = await admin.setPolicy(KnownAttestationType.OpenEnclave, MINIMAL, { privateKey: signer.keyPem, certificate: signer.certPem });
    expect(signedSet.body.policyResolution).toBe("Updated");
    expect(signedSet.body.policySigner?.certificates[0]).toContain("BEGIN CERTIFICATE");
    // The SDK reports the token hash; it is SHA-256 of the JWS the SDK sent, which the service stored.
    const got = await admin.getPolicy(KnownAttestationType.OpenEnclave);
    expect(got.body).toBe(MINIMAL);
    const storedJws = got.token.getBody()["x-ms-policy"] as string;
    expect(Buffer.from(signedSet.body.policyTokenHash).toString("base64url")).toBe(createHash("sha256").update(storedJws).digest("base64url"));

    const reset = await admin.resetPolicy(KnownAttestationType.OpenEnclave);
    expect(reset.body.policyResolution).toBe("Removed");
    expect((await admin.getPolicy(KnownAttestationType.OpenEnclave)).body).toContain("is-debuggable");
  });

  it("administration on an isolated provider: signed set and reset; unsigned set refused; certificates get/add/remove", async () => {
    const admin = new AttestationAdministrationClient(`${s.url}/sdkiso`, credential(await s.mintToken("Contributor")), options("sdkiso"));
    await expect(admin.setPolicy(KnownAttestationType.SgxEnclave, MINIMAL)).rejects.toMatchObject({ statusCode: 400 });
    const set = await admin.setPolicy(KnownAttestationType.SgxEnclave, MINIMAL, { privateKey: signer.keyPem, certificate: signer.certPem });
    expect(set.body.policyResolution).toBe("Updated");
    const reset = await admin.resetPolicy(KnownAttestationType.SgxEnclave, { privateKey: signer.keyPem, certificate: signer.certPem });
    expect(reset.body.policyResolution).toBe("Removed");

    const certs = await admin.getPolicyManagementCertificates();
    expect(certs.body).toHaveLength(1);

    const added = await admin.addPolicyManagementCertificate(second.certPem, signer.keyPem, signer.certPem);
    expect(added.body.certificateResolution).toBe("IsPresent");
    expect(added.body.certificateThumbprint).toBe(createHash("sha1").update(Buffer.from(second.der, "base64")).digest("hex").toUpperCase());
    expect((await admin.getPolicyManagementCertificates()).body).toHaveLength(2);

    const removed = await admin.removePolicyManagementCertificate(second.certPem, signer.keyPem, signer.certPem);
    expect(removed.body.certificateResolution).toBe("IsAbsent");
    expect((await admin.getPolicyManagementCertificates()).body).toHaveLength(1);
  });

  it("the SDK's validation is really on: a wrong expected issuer makes it refuse our tokens", async () => {
    const admin = new AttestationAdministrationClient(`${s.url}/aad`, credential(await s.mintToken("Reader")), {
      tlsOptions: { ca: s.tlsCertificate as string },
      validationOptions: { ...validation("aad"), expectedIssuer: "https://elsewhere.attest.azure.net" },
    });
    await expect(admin.getPolicy(KnownAttestationType.SgxEnclave)).rejects.toThrow(/issuer/i);
  });

  it("a Reader credential can read but the SDK's set is refused with 403", async () => {
    const admin = new AttestationAdministrationClient(`${s.url}/aad`, credential(await s.mintToken("Reader")), options("aad"));
    expect((await admin.getPolicy(KnownAttestationType.SgxEnclave)).body).toContain("permit()");
    await expect(admin.setPolicy(KnownAttestationType.SgxEnclave, MINIMAL)).rejects.toMatchObject({ statusCode: 403 });
  });
});
