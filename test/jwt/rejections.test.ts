/**
 * Every rejection of `verifyPolicyToken`, each pinned by tampering a real signed token (packed
 * here with a freshly generated signer, then altered and, where the defect must be the only one,
 * re-signed with node:crypto).
 */
import { beforeAll, describe, expect, test } from "vitest";
import { packPolicy, verifyPolicyToken, type VerifyResult } from "@maa-policy/core";
import { flipBase64urlChar, makeSigner, nodeDecode, nodeSign, nodeVerify, b64url, type TestSigner } from "./support/certs.js";
import { signers, type Signers } from "./support/fixtures.js";

const POLICY = 'version=1.0;authorizationrules{c:[type=="x-ms-sgx-is-debuggable", value==false] => permit();};';
let s: Signers;
let token: string;
let now: Date;

beforeAll(async () => {
  s = await signers();
  token = (await packPolicy(POLICY, { key: s.rsa.keyPem, certificates: s.rsa.certPem })).token;
  now = new Date(Date.parse(s.rsa.cert.validFrom) + 3600_000);
});

const isolated = (t: string, trusted = s.rsa.certPem, at = now): Promise<VerifyResult> =>
  verifyPolicyToken(t, trusted, { trustModel: "isolated", now: at });

function expectRejected(r: VerifyResult, code: string, fragment?: string): void {
  expect(r).toMatchObject({ verified: false, code });
  if (fragment !== undefined && !r.verified) expect(r.message).toContain(fragment);
  if (!r.verified) {
    expect(r.message).toMatch(/^[a-z`]/);
    expect(r.message).not.toMatch(/\.$|\n/);
  }
}

/** The header and payload of the real token, to re-sign altered copies. */
const original = () => nodeDecode(token);
const resign = (header: Record<string, unknown>, signer: TestSigner = s.rsa, alg?: string) =>
  nodeSign(header, token.split(".")[1] ?? "", signer.keyPem, alg);

test("the untampered token verifies, also with node:crypto alone", async () => {
  expect(await isolated(token)).toMatchObject({ verified: true, signed: true, trusted: true, text: POLICY });
  expect(nodeVerify(token)).toBe(true);
});

test("P4004: the token stripped to `alg: none` where a signature is required", async () => {
  const stripped = `${b64url('{"alg":"none"}')}.${token.split(".")[1]}.`;
  expectRejected(await isolated(stripped), "P4004", "unsigned");
  expect(await verifyPolicyToken(stripped, s.rsa.certPem, { trustModel: "aad", now })).toMatchObject({ verified: true, signed: false });
});

test("P4005: HS256 keyed with the signer's public certificate (the algorithm-confusion attack)", async () => {
  const forged = nodeSign({ ...original().header, alg: "HS256" }, token.split(".")[1] ?? "", s.rsa.certPem);
  expectRejected(await isolated(forged), "P4005", "`HS256`");
  expectRejected(await verifyPolicyToken(forged, "", { trustModel: "aad", now }), "P4005");
});

test("P4006: the docs' `RSA256` typo, otherwise validly signed", async () => {
  const typo = resign({ ...original().header, alg: "RSA256" }, s.rsa, "RS256");
  expect(nodeVerify(typo.replace(/^[^.]+/, b64url(JSON.stringify({ ...original().header, alg: "RS256" }))))).toBe(false);
  expectRejected(await isolated(typo), "P4006", "did you mean `RS256`?");
});

test("P4007: a registered JWS algorithm policy tokens do not use (EdDSA)", async () => {
  const t = `${b64url(JSON.stringify({ ...original().header, alg: "EdDSA" }))}.${token.split(".")[1]}.${token.split(".")[2]}`;
  expectRejected(await isolated(t), "P4007", "`EdDSA`");
});

test("P4008: a flipped character in the signature, or in the payload", async () => {
  const [h, p, sig] = token.split(".") as [string, string, string];
  expectRejected(await isolated(`${h}.${p}.${flipBase64urlChar(sig, 10)}`), "P4008");
  expectRejected(await isolated(`${h}.${flipBase64urlChar(p, 20)}.${sig}`), "P4008");
  expectRejected(await verifyPolicyToken(`${h}.${p}.${flipBase64urlChar(sig, 10)}`, "", { trustModel: "aad", now }), "P4008");
});

test("P4008: a policy text swapped in the payload", async () => {
  const [h, , sig] = token.split(".") as [string, string, string];
  const evil = b64url(JSON.stringify({ AttestationPolicy: b64url("version=1.0;authorizationrules{=> permit();};") }));
  expectRejected(await isolated(`${h}.${evil}.${sig}`), "P4008");
});

test("P4009: a valid signature by a certificate that is not a trusted signer", async () => {
  const theirs = (await packPolicy(POLICY, { key: s.stranger.keyPem, certificates: s.stranger.certPem })).token;
  expect(nodeVerify(theirs)).toBe(true);
  expectRejected(await isolated(theirs), "P4009", "`CN=Stranger`");
  // AAD trust does not consult the list, but says whether the signer is in it.
  expect(await verifyPolicyToken(theirs, s.rsa.certPem, { trustModel: "aad", now })).toMatchObject({ verified: true, trusted: false });
  // The real certificate put in front of the stranger's signature does not help either.
  const swapped = nodeSign({ alg: "RS256", x5c: [s.rsa.cert.raw.toString("base64")] }, theirs.split(".")[1] ?? "", s.stranger.keyPem);
  expectRejected(await isolated(swapped), "P4008");
});

test("P4010 / P4011: the signing certificate expired, or not yet valid, at the injected time", async () => {
  const after = new Date(Date.parse(s.rsa.cert.validTo) + 1000);
  const before = new Date(Date.parse(s.rsa.cert.validFrom) - 1000);
  expectRejected(await isolated(token, s.rsa.certPem, after), "P4010", "expired");
  expectRejected(await isolated(token, s.rsa.certPem, before), "P4011", "not valid before");
  const noClock = await verifyPolicyToken(token, s.rsa.certPem, { trustModel: "isolated" });
  expect(noClock).toMatchObject({ verified: true });
  expect(noClock.verified && noClock.warnings.join()).toContain("not checked");
});

test("P4012: an RSA-1024 signer, trusted and validly signed", async () => {
  const weak = await makeSigner({ cn: "Weak", bits: 1024 });
  const t = nodeSign({ alg: "RS256", x5c: [weak.cert.raw.toString("base64")] }, token.split(".")[1] ?? "", weak.keyPem);
  expect(nodeVerify(t)).toBe(true);
  expectRejected(await isolated(t, weak.certPem), "P4012", "1024");
  await expect(packPolicy(POLICY, { key: weak.keyPem, certificates: weak.certPem })).rejects.toMatchObject({ code: "P4012" });
});

test("P4013: a `crit` header, otherwise validly signed", async () => {
  const t = resign({ ...original().header, crit: ["exp"], exp: 1 });
  expect(nodeVerify(t)).toBe(true);
  expectRejected(await isolated(t), "P4013", "`crit`");
});

test("P4014: a `jwk` or `jku` header that tries to supply the key", async () => {
  const jwk = s.stranger.cert.publicKey.export({ format: "jwk" });
  const withJwk = nodeSign({ alg: "RS256", jwk, x5c: original().header["x5c"] }, token.split(".")[1] ?? "", s.stranger.keyPem);
  expectRejected(await isolated(withJwk), "P4014", "`jwk`");
  const withJku = resign({ ...original().header, jku: "https://attacker.example/keys" });
  expect(nodeVerify(withJku)).toBe(true);
  expectRejected(await isolated(withJku), "P4014", "`jku`");
});

test("P4015 / P4016: no `x5c`, or an `x5c` that is not a certificate", async () => {
  expectRejected(await isolated(resign({ alg: "RS256" })), "P4015", "`x5c`");
  expectRejected(await isolated(resign({ alg: "RS256", x5c: ["AAAA"] })), "P4016", "x5c[0]");
  expectRejected(await isolated(resign({ alg: "RS256", x5c: "MIIB" })), "P4015");
});

test("P4017: an ECDSA algorithm with the RSA certificate", async () => {
  const t = `${b64url(JSON.stringify({ ...original().header, alg: "ES256" }))}.${token.split(".")[1]}.${token.split(".")[2]}`;
  expectRejected(await isolated(t), "P4017", "`ES256`");
});

test("P4021 / P4022: plain text under isolated trust; a trusted-signers file without certificates", async () => {
  expectRejected(await isolated(POLICY), "P4021");
  expect(await verifyPolicyToken(POLICY, "", { trustModel: "aad" })).toMatchObject({ verified: true, kind: "text", text: POLICY });
  expectRejected(await isolated(token, "not a pem"), "P4022");
});

test("P4023: a signed payload whose `AttestationPolicy` is not text", async () => {
  const t = nodeSign(original().header, { AttestationPolicy: 42 }, s.rsa.keyPem);
  expectRejected(await isolated(t), "P4023", "a number");
  const notUtf8 = nodeSign(original().header, { AttestationPolicy: b64url(new Uint8Array([0xff, 0xfe, 0x00])) }, s.rsa.keyPem);
  expectRejected(await isolated(notUtf8), "P4023", "UTF-8");
});

describe("P4002: malformed tokens", () => {
  const cases: Array<[string, string]> = [
    ["two parts", "eyJhbGciOiJub25lIn0.e30"],
    ["four parts", "a.b.c.d"],
    ["header not JSON", `${b64url("nope")}.${b64url("{}")}.`],
    ["header an array", `${b64url("[1]")}.${b64url("{}")}.`],
    ["not base64url", "eyJhbGciOiJub25lIn0.e30=.x"],
    ["JSON document", '{"header":{"alg":"none"}}'],
    ["empty", "   "],
  ];
  for (const [name, t] of cases) {
    test(name, async () => {
      expectRejected(await verifyPolicyToken(t, "", { trustModel: "aad" }), "P4002");
    });
  }
});

describe("reset tokens (empty payload)", () => {
  test("unsigned: accepted under AAD trust, refused under isolated trust (P4004)", async () => {
    expect(await verifyPolicyToken("eyJhbGciOiJub25lIn0..", "", { trustModel: "aad" })).toMatchObject({ verified: true, kind: "reset", signed: false });
    expectRejected(await isolated("eyJhbGciOiJub25lIn0.."), "P4004");
  });
  test("signed by the trusted signer: accepted under isolated trust; by a stranger: P4009", async () => {
    const header = { alg: "RS256", x5c: [s.rsa.cert.raw.toString("base64")] };
    const reset = nodeSign(header, "", s.rsa.keyPem);
    expect(reset.split(".")[1]).toBe("");
    expect(await isolated(reset)).toMatchObject({ verified: true, kind: "reset", signed: true, trusted: true });
    const stranger = nodeSign({ alg: "RS256", x5c: [s.stranger.cert.raw.toString("base64")] }, "", s.stranger.keyPem);
    expectRejected(await isolated(stranger), "P4009");
  });
});
