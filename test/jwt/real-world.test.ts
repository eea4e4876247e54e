/**
 * Real-world tokens (the shared corpus in test/fixtures/real-world) and the verified
 * `x-ms-policy-hash` values of policies 43 and 58.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { packPolicy, policyHash, policyTokenHash, unpackPolicy, verifyPolicyToken } from "@maa-policy/core";
import { b64url } from "./support/certs.js";

const dir = new URL("../fixtures/real-world/", import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), "utf8");
const json = (name: string) => JSON.parse(read(name)) as { header: Record<string, unknown>; body: Record<string, unknown> };
/** Rebuilds a compact token from a JSON rendering (header, body) and a signature part. */
const compact = (t: { header: unknown; body: unknown }, signature = "") => `${b64url(JSON.stringify(t.header))}.${b64url(JSON.stringify(t.body))}.${signature}`;

const policy43 = read("43-sgx-default-dollar-compact.policy");
const policy44 = read("44-doc-signed-jwt-sgx-deny-debuggable.policy");
const policy58 = read("58-service-default-openenclave-2021.policy");

describe("x-ms-policy-hash values verified against real service tokens", () => {
  test("policy 43 (the 2020 default SGX policy): egjnANIz…", () => {
    expect(policyHash(policy43)).toBe("egjnANIzEpS2WgpE4Nk-QEwM69XRCgTs42_G0qLlbnk");
  });
  test("policy 58 (the 2021 shared-instance OpenEnclave default): bROrN897…", () => {
    expect(policyHash(policy58)).toBe("bROrN897ZfWmWY2V0FLUlu3uwk5xatGnKYHn3zBbSlw");
  });
  test("policy 44 (payload of the docs' signed sample): RO-Stf0x…", () => {
    expect(policyHash(policy44)).toBe("RO-Stf0xnI2nBnZ0VlRnafFX0Pvzyd-zXlrPCNxc8bg");
  });
  test("the hash covers the text only: signing does not change it, whitespace does", async () => {
    const { token } = await packPolicy(policy43);
    const u = unpackPolicy(token);
    expect(u.kind === "policy" && policyHash(u.text)).toBe(policyHash(policy43));
    expect(policyHash(policy43 + "\n")).not.toBe(policyHash(policy43));
  });
  test("the token hash is B64URL(SHA256(the compact JWS))", async () => {
    const { token } = await packPolicy(policy43);
    const { createHash } = await import("node:crypto");
    expect(policyTokenHash(token)).toBe(createHash("sha256").update(token).digest("base64url"));
    expect(policyTokenHash(token)).not.toBe(policyHash(policy43));
  });
});

describe("87: the docs' unsigned policy token", () => {
  const t = json("87-unsigned-policy-jws.token.json");
  test("our pack of policy 43 carries exactly the docs' AttestationPolicy value, header {\"alg\":\"none\"}, empty signature", async () => {
    const { token } = await packPolicy(policy43);
    const [h, p, s] = token.split(".");
    expect(h).toBe("eyJhbGciOiJub25lIn0");
    expect(s).toBe("");
    expect(JSON.parse(Buffer.from(p ?? "", "base64url").toString("utf8"))).toEqual(t.body);
  });
  test("the rebuilt token unpacks to policy 43", () => {
    const u = unpackPolicy(compact(t));
    expect(u).toMatchObject({ kind: "policy", signed: false, payloadForm: "base64url", text: policy43 });
  });
});

describe("88: the docs' signed sample with `alg: RSA256`", () => {
  const t = json("88-signed-policy-jws.token.json");
  test("unpacks to policy 44 (the elided certificate does not matter to unpack)", () => {
    expect(unpackPolicy(compact(t, "c2lnbmF0dXJl"))).toMatchObject({ kind: "policy", signed: true, payloadForm: "base64url", text: policy44 });
  });
  test("verification refuses `RSA256` as not a JWS algorithm, suggesting RS256 (P4006)", async () => {
    const r = await verifyPolicyToken(compact(t, "c2lnbmF0dXJl"), "", { trustModel: "aad", now: new Date("2021-01-01T00:00:00Z") });
    expect(r).toMatchObject({ verified: false, code: "P4006" });
    expect(!r.verified && r.message).toContain("did you mean `RS256`?");
  });
});

describe("89: the docs' policy signer token (preview claim name)", () => {
  test("is recognised as a signer token, not a policy token (P4003)", () => {
    const t = json("89-policy-signer-jws-preview.token.json");
    const u = unpackPolicy(compact(t, "c2lnbmF0dXJl"));
    expect(u).toMatchObject({ kind: "error", code: "P4003" });
    expect(u.kind === "error" && u.message).toContain("`maa-policyCertificate`");
  });
});

describe("86: a Policy_Get response token", () => {
  test("is a token of another kind whose x-ms-policy claim is the stored policy JWS (policy 58)", async () => {
    const t = json("86-get-policy-response.token.json");
    const inner = (await packPolicy(policy58)).token;
    const outer = compact({ header: t.header, body: { ...t.body, "x-ms-policy": inner } }, "c2lnbmF0dXJl");
    const u = unpackPolicy(outer);
    expect(u).toMatchObject({ kind: "error", code: "P4003" });
    expect(u.kind === "error" && u.message).toContain("`x-ms-policy`");
    const v = unpackPolicy(inner);
    expect(v).toMatchObject({ kind: "policy", text: policy58 });
    expect(v.kind === "policy" && policyHash(v.text)).toBe("bROrN897ZfWmWY2V0FLUlu3uwk5xatGnKYHn3zBbSlw");
  });
  test("a policy token with its `jku` header (which tries to supply the key) is refused (P4014)", async () => {
    const t = json("86-get-policy-response.token.json");
    const r = await verifyPolicyToken(compact({ header: t.header, body: { AttestationPolicy: b64url(policy58) } }, "c2lnbmF0dXJl"), "", {
      trustModel: "aad",
      now: new Date("2021-04-15T00:00:00Z"),
    });
    expect(r).toMatchObject({ verified: false, code: "P4014" });
  });
});
