/**
 * `parseClaimsInput` and the JSON Schema in docs/claims-input.schema.json: every example of
 * docs/claims-input.md and every bundled claims file is valid for both; malformed input gets an
 * error naming the source and the JSON path.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import { parseClaimsInput } from "@maa-policy/core";
import { describe, expect, test } from "vitest";

/** The real-world corpus as copied into the repository, byte for byte (a fresh clone has no ../shared). */
const REAL_WORLD = path.resolve(import.meta.dirname, "../fixtures/real-world");

const root = path.resolve(import.meta.dirname, "../..");
const schema = JSON.parse(readFileSync(path.join(root, "docs/claims-input.schema.json"), "utf8")) as object;
const ajv = new Ajv({ strict: false, allErrors: true });
const validate = ajv.compile(schema);

function b64url(s: string): string {
  return Buffer.from(s, "utf8").toString("base64url");
}

const docExamples = [...readFileSync(path.join(root, "docs/claims-input.md"), "utf8").matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] as string);

describe("documented examples", () => {
  test("the page has examples", () => expect(docExamples.length).toBeGreaterThanOrEqual(5));
  docExamples.forEach((text, i) => {
    test(`example ${i + 1} is valid for the schema and the parser`, () => {
      expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
      const r = parseClaimsInput(text, `example ${i + 1}`);
      expect(r.errors).toEqual([]);
      expect(r.claims.length).toBeGreaterThan(0);
    });
  });
});

describe("bundled claims files and real tokens", () => {
  for (const f of ["examples/sgx.claims.json", "examples/tpm.claims.json"]) {
    test(f, () => {
      const text = readFileSync(path.join(root, f), "utf8");
      expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
      expect(parseClaimsInput(text, f).errors).toEqual([]);
    });
  }
  for (const f of ["80-sgx-shared-2021", "81-sgx-legacy-2020", "82-sevsnpvm-docs", "83-tdxvm-docs", "84-azurevm-windows-cvm-2022", "97-tpm-windows-healthattestation-csp"]) {
    test(`real-world token ${f}`, () => {
      const text = readFileSync(path.join(REAL_WORLD, `${f}.token.json`), "utf8");
      expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
      const r = parseClaimsInput(text, f, { mode: "token" });
      expect(r.errors).toEqual([]);
      expect(r.claims.every((c) => c.issuer === "AttestationService")).toBe(true);
      expect(r.claims.some((c) => c.type === "iat" || c.type === "x-ms-policy-hash")).toBe(false);
    });
  }
  test("the SGX token names its attestation type and keeps typed values", () => {
    const r = parseClaimsInput(readFileSync(path.join(REAL_WORLD, "80-sgx-shared-2021.token.json"), "utf8"), "t");
    expect(r.form).toBe("token-payload");
    expect(r.attestationType).toBe("SgxEnclave");
    expect(r.claims).toContainEqual({ type: "is-debuggable", value: true, issuer: "AttestationService" });
    expect(r.claims).toContainEqual({ type: "product-id", value: 1, issuer: "AttestationService" });
    const collateral = r.claims.find((c) => c.type === "x-ms-sgx-collateral");
    expect(typeof collateral?.value).toBe("string");
    expect(JSON.parse(collateral?.value as string)).toHaveProperty("qeidhash");
  });
  test("a TPM token's multi-valued claim gives one claim per element", () => {
    const r = parseClaimsInput(readFileSync(path.join(REAL_WORLD, "97-tpm-windows-healthattestation-csp.token.json"), "utf8"), "t");
    expect(r.claims.filter((c) => c.type === "codeIntegrityPolicy")).toHaveLength(5);
  });
});

describe("tokens", () => {
  const payload = { iss: "https://x.attest.azure.net", iat: 1, exp: 2, "x-ms-attestation-type": "tpm", secureBootEnabled: true, tpmVersion: 2, nothing: null };
  const jwt = `${b64url('{"alg":"RS256"}')}.${b64url(JSON.stringify(payload))}.c2ln`;
  test.each([
    ["compact JWT", jwt],
    ["JWT with surrounding whitespace", `\n${jwt}\n`],
    ["JWT as a JSON string", JSON.stringify(jwt)],
    ["attest response", JSON.stringify({ token: jwt })],
    ["decoded token", JSON.stringify({ header: { alg: "RS256" }, payload })],
  ])("%s", (_, text) => {
    for (const mode of ["auto", "token"] as const) {
      const r = parseClaimsInput(text, "token.jwt", { mode });
      expect(r.errors).toEqual([]);
      expect(r.attestationType).toBe("Tpm");
      expect(r.claims).toEqual([
        { type: "x-ms-attestation-type", value: "tpm", issuer: "AttestationService" },
        { type: "secureBootEnabled", value: true, issuer: "AttestationService" },
        { type: "tpmVersion", value: 2, issuer: "AttestationService" },
      ]);
    }
  });
  test("non-ASCII claims survive base64url decoding", () => {
    const t = `${b64url("{}")}.${b64url(JSON.stringify({ "x-ms-ver": "1.0", "typé": "é" }))}.`;
    expect(parseClaimsInput(t, "t").claims).toContainEqual({ type: "typé", value: "é", issuer: "AttestationService" });
  });
  test("a broken payload is an error naming the file", () => {
    const r = parseClaimsInput("abc.!!!.x", "bad.jwt", { mode: "token" });
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors[0]).toMatch(/^bad\.jwt: /);
    expect(parseClaimsInput(`${b64url("{}")}.${b64url("[1]")}.`, "bad.jwt").errors).toEqual(["bad.jwt: $: the token's payload is not a base64url-encoded JSON object"]);
  });
  test("--claims-from-token takes any object as a payload", () => {
    const r = parseClaimsInput('{"a": 1}', "p.json", { mode: "token" });
    expect(r.errors).toEqual([]);
    expect(r.form).toBe("token-payload");
  });
});

describe("claims files", () => {
  test("defaults: issuer absent → no issuer (the evaluator uses CustomClaim)", () => {
    const r = parseClaimsInput('{"claims":[{"type":"a","value":1}]}', "c.json");
    expect(r).toEqual({ claims: [{ type: "a", value: 1 }], errors: [], form: "claims-file" });
  });
  test("a large integer as a string with valueType Integer is exact", () => {
    const r = parseClaimsInput('[{"type":"a","value":"9223372036854775807","valueType":"Integer"}]', "c.json");
    expect(r.errors).toEqual([]);
    expect(r.claims[0]?.value).toBe(9223372036854775807n);
  });
  test.each([
    ['{"claims":[{"type":"a","value":1.5}]}', "c.json: $.claims[0].value: the fraction 1.5 is not a claim value"],
    ['{"claims":[{"type":"a","Value":1}]}', "c.json: $.claims[0].Value: unknown member"],
    ['{"claims":[{"value":1}]}', "c.json: $.claims[0].type: missing"],
    ['{"claims":[{"type":"a","value":1,"valueType":"String"}]}', "c.json: $.claims[0].valueType: is String but the value is the Integer 1"],
    ['{"claims":[{"type":"a","value":{"x":1}}]}', "c.json: $.claims[0].value: must be a Boolean, an Integer or a String"],
    ['{"claims":[{"type":"a","value":9007199254740993}]}', "c.json: $.claims[0].value: the integer 9007199254740992 is beyond 2^53 − 1"],
    ['{"claims":[{"type":"a","value":"x","valueType":"Integer"}]}', "c.json: $.claims[0].value: \"x\" is not a signed 64-bit decimal integer"],
    ['{"claims":{}}', "c.json: $.claims: must be an array of claims"],
    ['{"attestationType":"Sgx","claims":[]}', "c.json: $.attestationType: must be one of"],
    ['{"claims":[], "extra": 1}', "c.json: $.extra: unknown member"],
    ['{"a": 1.5}', "c.json: $.a: the fraction 1.5"],
    ['{"a": null}', "c.json: $.a: null is not a claim value"],
    ['{"odd key": [1, 2.5]}', 'c.json: $["odd key"][1]: the fraction 2.5'],
    ['"hello"', "c.json: $: a JSON string that is not an attestation token"],
    ["42", "c.json: $: expected an object or an array of claims, not number 42"],
    ["", "c.json: the file is empty"],
    ['{\n  "claims": [\n    {"type": "a",, "value": 1}\n  ]\n}', 'c.json:3:18: not valid JSON: unexpected ","'],
    ['{"claims": [', "c.json:1:13: not valid JSON: unexpected end of the text"],
  ])("%s", (text, message) => {
    const r = parseClaimsInput(text, "c.json");
    expect(r.errors.join("\n")).toContain(message);
  });
  test("the schema rejects what the parser rejects", () => {
    for (const bad of [{ claims: [{ type: "a", value: 1.5 }] }, { claims: [{ type: "a", Value: 1 }] }, { claims: [{ type: "a", value: true, valueType: "Integer" }] }, { a: 1.5 }, [{ value: 1 }]]) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
    }
  });
  test("shorthand: arrays give several claims, objects become JSON text", () => {
    const r = parseClaimsInput('{"a": [1, "x", {"k": true}], "b": {"k": [1]}}', "s.json");
    expect(r.errors).toEqual([]);
    expect(r.form).toBe("shorthand");
    expect(r.claims).toEqual([
      { type: "a", value: 1, issuer: "AttestationService" },
      { type: "a", value: "x", issuer: "AttestationService" },
      { type: "a", value: '{"k":true}', issuer: "AttestationService" },
      { type: "b", value: '{"k":[1]}', issuer: "AttestationService" },
    ]);
  });
  test("a byte-order mark is ignored", () => {
    expect(parseClaimsInput('\uFEFF{"a": 1}', "s.json").errors).toEqual([]);
  });
});
