/**
 * Issue 17, item 5: one rule for claim values in every input form. A fraction or an integer that
 * JSON rounded is refused with its path, in token payloads as in shorthand objects and claims
 * files; before, a token payload turned `1.5` into the String "1.5", which flipped a deny into a
 * permit.
 */
import { compile, evaluate, parseClaimsInput } from "@maa-policy/core";
import { describe, expect, it } from "vitest";

const b64u = (s: string) => Buffer.from(s, "utf8").toString("base64url");
const POLICY = 'version=1.2;\nauthorizationrules\n{\n    [type=="x-ms-sgx-svn", value<2] => deny();\n    => permit();\n};\n';

describe("claim values (item 5)", () => {
  it("a fraction in a token payload is refused, so the deny cannot become a permit", () => {
    const r = parseClaimsInput('{"x-ms-ver":"1.0","x-ms-sgx-svn":1.5}', "t.json");
    expect(r.form).toBe("token-payload");
    expect(r.claims).toEqual([{ type: "x-ms-ver", value: "1.0", issuer: "AttestationService" }]);
    expect(r.errors).toEqual(['t.json: $["x-ms-sgx-svn"]: the fraction 1.5 is not a claim value: values are Booleans, Integers or Strings']);
    const c = compile(POLICY);
    // What the shorthand form, and now the payload form, refuse would have evaluated to permit.
    expect(evaluate(c.policy!, [{ type: "x-ms-sgx-svn", value: "1.5", issuer: "AttestationService" }]).decision).toBe("permit");
  });

  it("every form refuses the same values with the same message", () => {
    const forms = [
      ['{"x-ms-sgx-svn": 1.5}', '$["x-ms-sgx-svn"]'],
      ['{"x-ms-ver":"1.0","x-ms-sgx-svn":1.5}', '$["x-ms-sgx-svn"]'],
      ['{"claims":[{"type":"x-ms-sgx-svn","value":1.5}]}', "$.claims[0].value"],
      [`${b64u('{"alg":"none"}')}.${b64u('{"x-ms-ver":"1.0","x-ms-sgx-svn":1.5}')}.`, '$ (payload)["x-ms-sgx-svn"]'],
      ['{"header": {"alg": "none"}, "body": {"x-ms-sgx-svn": 1.5}}', '$.body["x-ms-sgx-svn"]'],
    ];
    for (const [text, at] of forms) {
      const r = parseClaimsInput(text as string, "c");
      expect(r.errors, text).toEqual([`c: ${at}: the fraction 1.5 is not a claim value: values are Booleans, Integers or Strings`]);
    }
  });

  it("an integer beyond 2^53 is refused in a token payload, also inside JSON data", () => {
    const big = parseClaimsInput('{"x-ms-ver":"1.0","n":12345678901234567890}', "t.json");
    expect(big.errors).toEqual([expect.stringMatching(/^t\.json: \$\.n: the integer 12345678901234567000 is beyond 2\^53 − 1 and was rounded by JSON/)]);
    const nested = parseClaimsInput('{"x-ms-ver":"1.0","data":{"list":[1,{"n":12345678901234567890}]}}', "t.json");
    expect(nested.errors).toEqual(["t.json: $.data.list[1].n: an integer beyond 2^53 − 1 was rounded by JSON: this JSON data cannot be passed on exactly"]);
    const shorthand = parseClaimsInput('{"data":{"n":12345678901234567890}}', "s.json");
    expect(shorthand.errors).toEqual(["s.json: $.data.n: an integer beyond 2^53 − 1 was rounded by JSON: this JSON data cannot be passed on exactly"]);
  });

  it("fractions inside JSON data stay JSON text (they are data, not claim values)", () => {
    const r = parseClaimsInput('{"x-ms-ver":"1.0","data":{"ratio":1.5}}', "t.json");
    expect(r.errors).toEqual([]);
    expect(r.claims).toContainEqual({ type: "data", value: '{"ratio":1.5}', issuer: "AttestationService" });
  });
});
