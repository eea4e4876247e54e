/**
 * `packPolicy`: the unsigned form byte for byte, signed forms with RSA (PKCS#8 and PKCS#1) and EC
 * keys checked by node:crypto alone, determinism, algorithm choice and the key/certificate errors.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { SIGNING_ALGORITHMS, packPolicy, policyHash, unpackPolicy, verifyPolicyToken } from "@maa-policy/core";
import { b64url, makeSigner, nodeDecode, nodeVerify } from "./support/certs.js";
import { signers, type Signers } from "./support/fixtures.js";

const POLICY = "version=1.0;\nauthorizationrules\n{\n    => permit();\n};\n";
let s: Signers;
beforeAll(async () => {
  s = await signers();
});

describe("unsigned", () => {
  test('is exactly {"alg":"none"} . {"AttestationPolicy":"<b64url>"} . (empty)', async () => {
    const r = await packPolicy(POLICY);
    expect(r.warnings).toEqual([]);
    expect(r.token).toBe(`eyJhbGciOiJub25lIn0.${b64url(`{"AttestationPolicy":"${b64url(POLICY)}"}`)}.`);
  });
  test("an empty policy packs and unpacks", async () => {
    const { token } = await packPolicy("");
    expect(unpackPolicy(token)).toMatchObject({ kind: "policy", text: "", payloadForm: "base64url" });
  });
  test("keeps a BOM, CRLF and non-ASCII text byte for byte", async () => {
    const text = '\uFEFFversion=1.0;\r\nissuancerules{c:[type=="caf\u00e9 \u{1F600}"] => issue(claim=c);};';
    const u = unpackPolicy((await packPolicy(text)).token);
    expect(u.kind === "policy" && u.text).toBe(text);
  });
  test("a lone surrogate cannot be packed (P4025)", async () => {
    await expect(packPolicy("version=1.0;\uD800")).rejects.toMatchObject({ code: "P4025" });
    expect(() => policyHash("\uDC00")).toThrow(/surrogate/);
  });
  test("`--alg` without a key is refused (P4019)", async () => {
    await expect(packPolicy(POLICY, { alg: "RS256" })).rejects.toMatchObject({ code: "P4019" });
  });
});

describe("signed", () => {
  test("RS256 by default with the chain in x5c; node:crypto verifies it; deterministic", async () => {
    const a = await packPolicy(POLICY, { key: s.rsa.keyPem, certificates: s.rsa.certPem });
    const b = await packPolicy(POLICY, { key: s.rsa.keyPem, certificates: s.rsa.certPem });
    expect(a.token).toBe(b.token);
    expect(a.warnings).toEqual([]);
    const { header, payload } = nodeDecode(a.token);
    expect(header).toEqual({ alg: "RS256", x5c: [s.rsa.cert.raw.toString("base64")] });
    expect(payload).toEqual({ AttestationPolicy: b64url(POLICY) });
    expect(nodeVerify(a.token)).toBe(true);
  });
  test("a PKCS#1 key gives the same token as its PKCS#8 form", async () => {
    expect(s.rsa.traditionalKeyPem).toContain("BEGIN RSA PRIVATE KEY");
    const a = await packPolicy(POLICY, { key: s.rsa.keyPem, certificates: s.rsa.certPem });
    const b = await packPolicy(POLICY, { key: s.rsa.traditionalKeyPem, certificates: [s.rsa.certPem] });
    expect(b.token).toBe(a.token);
  });
  test("a chain of two certificates goes into x5c in order", async () => {
    const { token } = await packPolicy(POLICY, { key: s.rsa.keyPem, certificates: [s.rsa.certPem, s.stranger.certPem] });
    expect(nodeDecode(token).header["x5c"]).toEqual([s.rsa.cert.raw.toString("base64"), s.stranger.cert.raw.toString("base64")]);
    const bundle = await packPolicy(POLICY, { key: s.rsa.keyPem, certificates: s.rsa.certPem + s.stranger.certPem });
    expect(bundle.token).toBe(token);
  });
  test("EC keys (PKCS#8 and SEC1) sign ES256 by default, with the RS256 warning; node:crypto verifies", async () => {
    for (const key of [s.ec.keyPem, s.ec.traditionalKeyPem]) {
      const r = await packPolicy(POLICY, { key, certificates: s.ec.certPem });
      expect(nodeDecode(r.token).header["alg"]).toBe("ES256");
      expect(r.warnings.join()).toContain("RS256");
      expect(nodeVerify(r.token)).toBe(true);
      expect(await verifyPolicyToken(r.token, s.ec.certPem, { trustModel: "isolated", now: new Date(Date.parse(s.ec.cert.validFrom) + 1000) })).toMatchObject({
        verified: true,
        text: POLICY,
      });
    }
  });
  test("EC P-384 signs ES384", async () => {
    const p384 = await makeSigner({ cn: "P384", type: "ec", curve: "secp384r1" });
    const r = await packPolicy(POLICY, { key: p384.keyPem, certificates: p384.certPem });
    expect(nodeDecode(r.token).header["alg"]).toBe("ES384");
    expect(nodeVerify(r.token)).toBe(true);
    await expect(packPolicy(POLICY, { key: p384.keyPem, certificates: p384.certPem, alg: "ES256" })).rejects.toMatchObject({ code: "P4017" });
  });
  test("PS256 and RS512 only when asked, with a warning; node:crypto verifies", async () => {
    for (const alg of ["PS256", "RS512"]) {
      const r = await packPolicy(POLICY, { key: s.rsa.keyPem, certificates: s.rsa.certPem, alg });
      expect(nodeDecode(r.token).header["alg"]).toBe(alg);
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]).toContain(`\`${alg}\``);
      expect(nodeVerify(r.token)).toBe(true);
    }
  });
  test("the wrong algorithm for the key, HMAC, none and typos are refused", async () => {
    const sign = (alg: string) => packPolicy(POLICY, { key: s.rsa.keyPem, certificates: s.rsa.certPem, alg });
    await expect(sign("ES256")).rejects.toMatchObject({ code: "P4017" });
    await expect(sign("HS256")).rejects.toMatchObject({ code: "P4005" });
    await expect(sign("RSA256")).rejects.toMatchObject({ code: "P4006" });
    await expect(sign("none")).rejects.toMatchObject({ code: "P4004" });
    await expect(packPolicy(POLICY, { key: s.ec.keyPem, certificates: s.ec.certPem, alg: "RS256" })).rejects.toMatchObject({ code: "P4017" });
  });
  test("a key that does not match the certificate is refused (P4018)", async () => {
    const e = await packPolicy(POLICY, { key: s.rsa.keyPem, certificates: s.stranger.certPem }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: "P4018" });
    expect(String((e as Error).message)).toContain("`CN=Stranger`");
  });
  test("unreadable, encrypted and missing keys; missing certificates", async () => {
    await expect(packPolicy(POLICY, { key: "garbage", certificates: s.rsa.certPem })).rejects.toMatchObject({ code: "P4019" });
    const broken = s.rsa.keyPem.replace(/\n[A-Za-z0-9+/]{10}/, "\nAAAAAAAAAA");
    await expect(packPolicy(POLICY, { key: broken, certificates: s.rsa.certPem })).rejects.toMatchObject({ code: expect.stringMatching(/P4019|P4018/) });
    const { createPrivateKey } = await import("node:crypto");
    const encrypted = createPrivateKey(s.rsa.keyPem).export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "pw" }).toString();
    const enc = await packPolicy(POLICY, { key: encrypted, certificates: s.rsa.certPem }).catch((x: unknown) => x);
    expect(enc).toMatchObject({ code: "P4019" });
    expect(String((enc as Error).message)).toContain("encrypted");
    await expect(packPolicy(POLICY, { certificates: s.rsa.certPem })).rejects.toMatchObject({ code: "P4019" });
    await expect(packPolicy(POLICY, { key: s.rsa.keyPem })).rejects.toMatchObject({ code: "P4015" });
    await expect(packPolicy(POLICY, { key: s.rsa.keyPem, certificates: "no pem here" })).rejects.toMatchObject({ code: "P4015" });
    await expect(packPolicy(POLICY, { key: s.rsa.keyPem, certificates: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" })).rejects.toMatchObject({ code: "P4016" });
  });
});

test("every accepted algorithm signs, verifies, and node:crypto agrees", async () => {
  const ec: Record<string, string> = { ES256: "prime256v1", ES384: "secp384r1", ES512: "secp521r1" };
  for (const alg of SIGNING_ALGORITHMS) {
    const signer = alg.startsWith("ES") ? await makeSigner({ cn: alg, type: "ec", curve: ec[alg] ?? "" }) : s.rsa;
    const { token, warnings } = await packPolicy(POLICY, { key: signer.keyPem, certificates: signer.certPem, alg });
    expect(warnings.length, alg).toBe(alg === "RS256" ? 0 : 1);
    expect(nodeVerify(token), alg).toBe(true);
    const r = await verifyPolicyToken(token, signer.certPem, { trustModel: "isolated", now: new Date(Date.parse(signer.cert.validFrom) + 1000) });
    expect(r, alg).toMatchObject({ verified: true, text: POLICY });
  }
});
