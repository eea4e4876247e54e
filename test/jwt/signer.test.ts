/**
 * Policy signer tokens: made with a generated trusted signer for a second certificate, checked by
 * node:crypto alone, verified back to the certificate they carry; every claim name; tampering.
 */
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { SIGNER_CLAIMS, createSignerToken, verifyPolicyToken, verifySignerToken } from "@maa-policy/core";
import { b64url, flipBase64urlChar, nodeDecode, nodeSign, nodeVerify } from "./support/certs.js";
import { signers, type Signers } from "./support/fixtures.js";

let s: Signers;
let now: Date;
beforeAll(async () => {
  s = await signers();
  now = new Date(Date.parse(s.rsa.cert.validFrom) + 60_000);
});

describe("createSignerToken / verifySignerToken", () => {
  for (const claimName of SIGNER_CLAIMS) {
    test(`claim \`${claimName}\``, async () => {
      const { token, warnings } = await createSignerToken(s.stranger.certPem, s.rsa.keyPem, s.rsa.certPem, { claimName });
      expect(warnings).toEqual([]);
      const { header, payload } = nodeDecode(token);
      expect(header).toEqual({ alg: "RS256", x5c: [s.rsa.cert.raw.toString("base64")] });
      expect(payload).toEqual({ [claimName]: { kty: "RSA", x5c: [s.stranger.cert.raw.toString("base64")] } });
      expect(nodeVerify(token)).toBe(true);
      const r = await verifySignerToken(token, s.rsa.certPem, { now });
      expect(r).toMatchObject({ verified: true, claimName });
      if (!r.verified) return;
      expect(r.certificate.subject).toBe("CN=Stranger");
      expect(r.certificate.thumbprintSha256).toBe(s.stranger.cert.fingerprint256);
      expect(r.certificate.thumbprintSha256.replace(/:/g, "").toLowerCase()).toBe(createHash("sha256").update(s.stranger.cert.raw).digest("hex"));
      expect(r.certificate.pem.replace(/\s/g, "")).toBe(s.stranger.certPem.replace(/\s/g, ""));
      expect(r.signer.subject).toBe("CN=Policy Signer One");
    });
  }
  test("the default claim is `policyCertificate` (GA API); an EC certificate gets kty EC", async () => {
    const { token } = await createSignerToken(s.ec.certPem, s.rsa.keyPem, s.rsa.certPem);
    expect(nodeDecode(token).payload).toEqual({ policyCertificate: { kty: "EC", x5c: [s.ec.cert.raw.toString("base64")] } });
    expect(await verifySignerToken(token, s.rsa.certPem, { now })).toMatchObject({ verified: true, certificate: { subject: "CN=EC Signer", key: "EC P-256" } });
  });
  test("refusals: untrusted signer, tampered payload, a policy token, a bad claim, an unknown claim name", async () => {
    const byStranger = (await createSignerToken(s.ec.certPem, s.stranger.keyPem, s.stranger.certPem)).token;
    expect(await verifySignerToken(byStranger, s.rsa.certPem, { now })).toMatchObject({ verified: false, code: "P4009" });
    const good = (await createSignerToken(s.ec.certPem, s.rsa.keyPem, s.rsa.certPem)).token;
    const [h, p, sig] = good.split(".") as [string, string, string];
    expect(await verifySignerToken(`${h}.${flipBase64urlChar(p, 30)}.${sig}`, s.rsa.certPem, { now })).toMatchObject({ verified: false, code: "P4008" });
    const swapped = b64url(JSON.stringify({ policyCertificate: { kty: "RSA", x5c: [s.stranger.cert.raw.toString("base64")] } }));
    expect(await verifySignerToken(`${h}.${swapped}.${sig}`, s.rsa.certPem, { now })).toMatchObject({ verified: false, code: "P4008" });
    const policy = nodeSign({ alg: "RS256", x5c: [s.rsa.cert.raw.toString("base64")] }, { AttestationPolicy: b64url("version=1.0;") }, s.rsa.keyPem);
    expect(await verifySignerToken(policy, s.rsa.certPem, { now })).toMatchObject({ verified: false, code: "P4003" });
    const noX5c = nodeSign({ alg: "RS256", x5c: [s.rsa.cert.raw.toString("base64")] }, { policyCertificate: { kty: "RSA" } }, s.rsa.keyPem);
    expect(await verifySignerToken(noX5c, s.rsa.certPem, { now })).toMatchObject({ verified: false, code: "P4024" });
    const wrongKty = nodeSign({ alg: "RS256", x5c: [s.rsa.cert.raw.toString("base64")] }, { policyCertificate: { kty: "EC", x5c: [s.stranger.cert.raw.toString("base64")] } }, s.rsa.keyPem);
    expect(await verifySignerToken(wrongKty, s.rsa.certPem, { now })).toMatchObject({ verified: false, code: "P4024" });
    const unsigned = `${b64url('{"alg":"none"}')}.${p}.`;
    expect(await verifySignerToken(unsigned, s.rsa.certPem, { now })).toMatchObject({ verified: false, code: "P4004" });
    await expect(
      createSignerToken(s.ec.certPem, s.rsa.keyPem, s.rsa.certPem, { claimName: "certificate" as never }),
    ).rejects.toMatchObject({ code: "P4024" });
    await expect(createSignerToken("nothing", s.rsa.keyPem, s.rsa.certPem)).rejects.toMatchObject({ code: "P4016" });
  });
  test("a signer token is not a policy token (P4003), even when validly signed", async () => {
    const { token } = await createSignerToken(s.ec.certPem, s.rsa.keyPem, s.rsa.certPem);
    expect(await verifyPolicyToken(token, s.rsa.certPem, { trustModel: "isolated", now })).toMatchObject({ verified: false, code: "P4003" });
  });
});
