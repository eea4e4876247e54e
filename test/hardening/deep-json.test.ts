/**
 * Issue 17, item 2: JSON nested 200,000 deep (claims, token headers and payloads, test files,
 * function arguments) is refused where it comes in, with the place it goes too deep; nothing
 * throws and no command prints an internal error.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { compile, evaluate, parseClaimsInput, unpackPolicy, verifyPolicyToken } from "@maa-policy/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMaaPolicy } from "../support/cli.js";

const DEEP = 200_000;
const deepArray = "[".repeat(DEEP) + "]".repeat(DEEP);
const b64u = (s: string) => Buffer.from(s, "utf8").toString("base64url");
const policyPayload = b64u(JSON.stringify({ AttestationPolicy: b64u("version=1.2;\nauthorizationrules\n{\n    => permit();\n};\n") }));
const deepHeaderToken = `${b64u(`{"alg":"none","x":${deepArray}}`)}.${policyPayload}.`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "maa-deep-"));
  writeFileSync(path.join(dir, "p.policy"), "version=1.2;\nauthorizationrules\n{\n    => permit();\n};\n");
  writeFileSync(path.join(dir, "deep.json"), `{"a": ${deepArray}}`);
  writeFileSync(path.join(dir, "deep.jwt"), deepHeaderToken);
  writeFileSync(path.join(dir, "deep.policytest.json"), JSON.stringify({ policy: "p.policy", cases: [] }).replace('"cases":[]', `"cases":[{"name":"x","claims":{"a":${deepArray}},"expect":{"decision":"permit"}}]`));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("deep JSON is refused where it comes in (item 2)", () => {
  it("parseClaimsInput: every form, with the line and column of the bracket too deep", () => {
    for (const text of [`{"a": ${deepArray}}`, `{"x-ms-ver": "1.0", "a": ${deepArray}}`, `{"claims": [{"type": "a", "value": ${deepArray}}]}`, deepArray]) {
      const r = parseClaimsInput(text, "c.json");
      expect(r.claims).toEqual([]);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatch(/^c\.json:1:\d+: the JSON is nested more than 256 levels deep$/);
    }
    // Inside a token's payload.
    const jwt = `${b64u('{"alg":"none"}')}.${b64u(`{"x-ms-ver":"1.0","a":${deepArray}}`)}.`;
    expect(parseClaimsInput(jwt, "t.jwt").errors).toEqual(["t.jwt: $: the token's payload is nested more than 256 levels deep"]);
  });

  it("accepts JSON nested up to the limit", () => {
    const ok = "[".repeat(255) + "1" + "]".repeat(255);
    expect(parseClaimsInput(`{"a": ${ok}}`, "c.json").errors).toEqual([]);
  });

  it("unpack and verify refuse a deep token header with P4002", async () => {
    expect(unpackPolicy(deepHeaderToken)).toMatchObject({ kind: "error", code: "P4002", message: "token: header: JSON nested more than 256 levels deep" });
    const deepPayload = `${b64u('{"alg":"none"}')}.${b64u(`{"AttestationPolicy":${deepArray}}`)}.`;
    expect(unpackPolicy(deepPayload)).toMatchObject({ kind: "error", code: "P4002" });
    const v = await verifyPolicyToken(deepHeaderToken, "", { trustModel: "aad" });
    expect(v).toMatchObject({ verified: false, code: "P4002" });
  });

  it("JmesPath and JsonToClaimValue refuse deep JSON data with P3001", () => {
    const c = compile('version=1.2;\nauthorizationrules\n{\n    d:[type=="d"] => add(type="j", value=JmesPath(d.value, "@"));\n    d:[type=="d"] => add(type="k", value=JsonToClaimValue(d.value));\n    => permit();\n};\n');
    expect(c.policy).toBeDefined();
    const r = evaluate(c.policy!, [{ type: "d", value: deepArray }]);
    expect(r.decision).toBe("error");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["P3001"]);
    expect(r.diagnostics[0]?.message).toMatch(/the JSON argument is JSON nested more than 256 levels deep/);
  });

  it("the CLI reports deep input as a user error, never an internal error", async () => {
    const ev = await runMaaPolicy(["eval", "p.policy", "--claims", "deep.json"], { cwd: dir });
    expect(ev.code).toBe(2);
    expect(ev.stderr).toMatch(/deep\.json:1:\d+: the JSON is nested more than 256 levels deep/);
    expect(ev.stderr).not.toMatch(/internal error|Maximum call stack/);
    for (const args of [["unpack", "deep.jwt"], ["unpack", "--json", "deep.jwt"]]) {
      const u = await runMaaPolicy(args, { cwd: dir });
      expect(u.code).toBe(1);
      expect(u.stderr).toMatch(/P4002.*nested more than 256 levels deep/);
      expect(u.stderr + u.stdout).not.toMatch(/internal error|Maximum call stack/);
    }
    const t = await runMaaPolicy(["test", "deep.policytest.json"], { cwd: dir });
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/deep\.policytest\.json:1:\d+: the JSON is nested more than 256 levels deep/);
    expect(t.stderr).not.toMatch(/internal error|Maximum call stack/);
  });
});
