/**
 * `unpackPolicy` tells apart a policy token, the empty reset token, a policy text, a malformed
 * token and a token of another kind.
 */
import { describe, expect, test } from "vitest";
import { classifyPolicyInput, packPolicy, unpackPolicy } from "@maa-policy/core";
import { b64url } from "./support/certs.js";

describe("unpackPolicy", () => {
  test("the empty reset token `eyJhbGciOiJub25lIn0..`", () => {
    expect(unpackPolicy("eyJhbGciOiJub25lIn0..")).toEqual({ kind: "reset", token: "eyJhbGciOiJub25lIn0..", header: { alg: "none" }, signed: false });
  });
  test("a policy text (P4001)", () => {
    const u = unpackPolicy("version=1.0; authorizationrules { => permit(); };");
    expect(u).toMatchObject({ kind: "error", code: "P4001" });
    expect(u.kind === "error" && u.message).toContain("`maa-policy pack`");
  });
  test("a malformed token (P4002) with what is wrong", () => {
    expect(unpackPolicy("abc.def")).toMatchObject({ kind: "error", code: "P4002", message: expect.stringContaining("3 parts") });
    expect(unpackPolicy(`${b64url('{"alg":"none"}')}.${b64url("[]")}.`)).toMatchObject({ code: "P4002", message: expect.stringContaining("JSON object") });
    expect(unpackPolicy(`${b64url('{"alg":"none"}')}.${b64url("{}")}.c2ln`)).toMatchObject({ code: "P4002", message: expect.stringContaining("`alg: none`") });
    expect(unpackPolicy("hello world")).toMatchObject({ code: "P4002" });
  });
  test("a token of another kind (P4003): an attestation result, a payload without the claim", () => {
    const result = `${b64url('{"alg":"RS256"}')}.${b64url('{"x-ms-ver":"1.0","x-ms-policy-hash":"x"}')}.c2ln`;
    expect(unpackPolicy(result)).toMatchObject({ code: "P4003", message: expect.stringContaining("attestation result") });
    expect(unpackPolicy(`${b64url('{"alg":"none"}')}.${b64url('{"a":1}')}.`)).toMatchObject({ code: "P4003", message: expect.stringContaining("`AttestationPolicy`") });
  });
  test("the raw (2018 preview) payload form", () => {
    const text = "version=1.0;authorizationrules{=> permit();};";
    const token = `${b64url('{"alg":"none"}')}.${b64url(JSON.stringify({ AttestationPolicy: text }))}.`;
    expect(unpackPolicy(token)).toMatchObject({ kind: "policy", payloadForm: "raw", text });
  });
  test("surrounding whitespace (a trailing newline in a file) is ignored", async () => {
    const { token } = await packPolicy("version=1.0;");
    expect(unpackPolicy(`\n  ${token}\n`)).toMatchObject({ kind: "policy", token, text: "version=1.0;" });
  });
});

test("classifyPolicyInput names each kind of input", async () => {
  expect(classifyPolicyInput("version=1.0;")).toBe("text");
  expect(classifyPolicyInput((await packPolicy("version=1.0;")).token)).toBe("policy");
  expect(classifyPolicyInput("eyJhbGciOiJub25lIn0..")).toBe("reset");
  expect(classifyPolicyInput(`${b64url('{"alg":"RS256"}')}.${b64url('{"policyCertificate":{}}')}.c2ln`)).toBe("signer");
  expect(classifyPolicyInput(`${b64url('{"alg":"RS256"}')}.${b64url('{"x-ms-ver":"1.0"}')}.c2ln`)).toBe("other");
  expect(classifyPolicyInput("a.b")).toBe("malformed");
});
