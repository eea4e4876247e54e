/**
 * The documentation vectors (test/fixtures/jwt/vectors, copied from ../shared/vectors) give
 * exactly what their README says.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parse, unpackPolicy, verifyPolicyToken, verifySignerToken } from "@maa-policy/core";
import { flipBase64urlChar, nodeVerify } from "./support/certs.js";

const dir = new URL("../fixtures/jwt/vectors/", import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), "utf8");
const trusted = read("trusted-signers.pem");
const now = new Date("2026-06-01T00:00:00Z");

describe("unsigned-policy.jwt", () => {
  const token = read("unsigned-policy.jwt");
  test("decodes to exactly unsigned-policy.expected.txt, base64url form, unsigned", () => {
    const u = unpackPolicy(token);
    expect(u.kind).toBe("policy");
    if (u.kind !== "policy") return;
    expect(u.text).toBe(read("unsigned-policy.expected.txt"));
    expect(u.payloadForm).toBe("base64url");
    expect(u.signed).toBe(false);
    expect(u.header).toEqual({ alg: "none" });
  });
  test("an isolated-trust provider refuses it (P4004); an AAD provider accepts it", async () => {
    expect(await verifyPolicyToken(token, trusted, { trustModel: "isolated", now })).toMatchObject({ verified: false, code: "P4004" });
    expect(await verifyPolicyToken(token, trusted, { trustModel: "aad", now })).toMatchObject({ verified: true, signed: false, kind: "policy" });
  });
});

describe("signed-policy.jwt", () => {
  const token = read("signed-policy.jwt");
  test("decodes to exactly signed-policy.expected.txt, raw (2018 preview) form", () => {
    const u = unpackPolicy(token);
    expect(u).toMatchObject({ kind: "policy", signed: true, payloadForm: "raw" });
    if (u.kind === "policy") {
      expect(u.text).toBe(read("signed-policy.expected.txt"));
      expect(u.text).toContain("$tee-future");
    }
  });
  test("verifies with trusted-signers.pem (isolated), signer MaaTestCert1", async () => {
    const r = await verifyPolicyToken(token, trusted, { trustModel: "isolated", now });
    expect(r).toMatchObject({ verified: true, signed: true, trusted: true, payloadForm: "raw", warnings: [] });
    if (r.verified) expect(r.signer?.subject).toBe("CN=MaaTestCert1");
  });
  test("node:crypto verifies the same signature independently", () => {
    expect(nodeVerify(token)).toBe(true);
  });
  test("every single changed character in header, payload or signature fails verification", async () => {
    const [h, p, s] = token.split(".") as [string, string, string];
    const positions: Array<[string, number]> = [];
    for (const [name, part] of [["header", h], ["payload", p], ["signature", s]] as const) {
      for (let i = 0; i < part.length; i++) positions.push([name, i]);
    }
    for (const [name, i] of positions) {
      const parts = [h, p, s];
      const k = name === "header" ? 0 : name === "payload" ? 1 : 2;
      parts[k] = flipBase64urlChar(parts[k] as string, i);
      const r = await verifyPolicyToken(parts.join("."), trusted, { trustModel: "isolated", now });
      expect(r.verified, `${name}[${i}]`).toBe(false);
    }
  }, 120_000); // 2,634 verifications
});

describe("policy-signer.jwt", () => {
  const token = read("policy-signer.jwt");
  test("verifies with trusted-signers.pem and carries CN=MaaTestCert2 with the documented fingerprint", async () => {
    const r = await verifySignerToken(token, trusted, { now });
    expect(r.verified).toBe(true);
    if (!r.verified) return;
    expect(r.claimName).toBe("maa-policyCertificate");
    expect(r.certificate.subject).toBe("CN=MaaTestCert2");
    expect(r.certificate.thumbprintSha256).toBe(
      "FD:CC:49:85:23:19:2B:67:36:6E:81:72:09:DB:EE:2F:33:BB:F1:3D:7D:34:55:CF:97:20:AA:25:D8:F2:57:0B",
    );
    expect(r.certificate.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(r.signer.subject).toBe("CN=MaaTestCert1");
    expect(nodeVerify(token)).toBe(true);
  });
  test("is not a policy token (P4003)", async () => {
    expect(unpackPolicy(token)).toMatchObject({ kind: "error", code: "P4003" });
    expect(await verifyPolicyToken(token, trusted, { trustModel: "isolated", now })).toMatchObject({ verified: false, code: "P4003" });
  });
  test("a changed character in the signature fails", async () => {
    const [h, p, s] = token.split(".") as [string, string, string];
    for (const i of [0, 100, s.length - 1]) {
      expect((await verifySignerToken(`${h}.${p}.${flipBase64urlChar(s, i)}`, trusted, { now })).verified).toBe(false);
    }
  });
});

test("trusted-signers.pem is the one RSA-2048 MaaTestCert1 certificate valid 2020-04-25 to 2070-04-25", async () => {
  const r = await verifyPolicyToken(read("signed-policy.jwt"), trusted, { trustModel: "isolated", now });
  if (!r.verified) throw new Error(r.message);
  expect(r.signer).toMatchObject({ key: "RSA 2048", validFrom: "2020-04-25T00:00:00.000Z", validTo: "2070-04-25T00:00:00.000Z" });
});

test("both policies parse as version 1.0 with no errors", () => {
  for (const f of ["unsigned-policy.expected.txt", "signed-policy.expected.txt"]) {
    const { file, diagnostics } = parse(read(f));
    expect(diagnostics.filter((d) => d.severity === "error"), f).toEqual([]);
    expect(file.version?.value, f).toBe("1.0");
  }
});
