/**
 * `maa-policy eval`: output formats, trace, claims forms, exit codes (0 evaluated whatever the
 * decision, 1 policy errors or evaluation failed, 2 usage or I/O).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { runMaaPolicy } from "../support/cli.js";

const root = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "maa-eval-"));
const write = (name: string, text: string) => {
  writeFileSync(path.join(dir, name), text);
  return name;
};
const b64 = (s: string) => Buffer.from(s).toString("base64url");

write("deny.policy", 'version=1.2;\nauthorizationrules { [type=="bad"] => deny(); => permit(); };\nissuancerules { => issue(type="x", value=1); };\n');
write("broken.policy", "version=1.2;\nauthorizationrules { => premit(); };\n");
write("fails.policy", 'version=1.2;\nauthorizationrules { => permit(); };\nissuancerules { c:[type=="j"] => issue(type="v", value=JsonToClaimValue(c.value)); };\n');
write("bad.json", '{"bad": true}');
write("empty.json", "[]");
write("j.json", '{"j": "{oops"}');
write("malformed.json", '{"claims": [{"type": "a", "value": 1.5}]}');
write("token.jwt", `${b64('{"alg":"none"}')}.${b64(JSON.stringify({ "x-ms-ver": "1.0", iat: 1, bad: true }))}.`);

const run = (...args: string[]) => runMaaPolicy(args, { cwd: dir });

describe("maa-policy eval", () => {
  test("pretty: decision, issued claims, properties; exit 0", async () => {
    const r = await runMaaPolicy(["eval", "examples/sgx.policy", "--claims", "examples/sgx.claims.json"], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("decision: permit");
    expect(r.stdout).toContain('sgx-mrsigner = "4aea5f9a0ed04b11f889aadfe6a1d376213a29a95a85ce7337ae6f7fece6610c"');
    expect(r.stdout).toContain('x-ms-sgx-tcbidentifier = "azuredefault"');
    expect(r.stdout).not.toContain("trace:");
  });
  test("json: the evalResultToJson object", async () => {
    const r = await runMaaPolicy(["eval", "examples/sgx.policy", "--claims", "examples/sgx.claims.json", "--format", "json", "--trace", "rules"], { cwd: root });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(["decision", "incoming", "outgoing", "properties", "token", "diagnostics", "trace"]);
    expect(json["decision"]).toBe("permit");
    expect(json["token"]).toMatchObject({ svn: 2, "product-id": 1, "is-debuggable": false, tee: "sgx" });
    expect((json["trace"] as unknown[]).length).toBe(10);
  });
  test("a deny is a successful evaluation: exit 0", async () => {
    const r = await run("eval", "deny.policy", "--claims", "bad.json");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("decision: deny");
    expect(r.stdout).toContain("issued claims: none");
  });
  test("--trace full explains why a rule did not fire", async () => {
    const r = await run("eval", "deny.policy", "--claims", "empty.json", "--trace", "full");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("authorizationrules rule 1 (line 2): not fired");
    expect(r.stdout).toContain("there are no incoming claims");
    expect(r.stdout).toContain("→ permit()");
    expect(r.stdout).toContain("→ issued: x = 1");
  });
  test("policy errors: diagnostics, not evaluated, exit 1", async () => {
    const r = await run("eval", "broken.policy", "--claims", "empty.json");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("P1007");
    expect(r.stdout).toContain("not evaluated");
    const j = await run("eval", "broken.policy", "--claims", "empty.json", "--format", "json");
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ decision: "error", outgoing: [], trace: null });
  });
  test("evaluation failure: decision error with the diagnostic, exit 1", async () => {
    const r = await run("eval", "fails.policy", "--claims", "j.json");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("P3001");
    expect(r.stdout).toContain("decision: error");
    expect(r.stdout).toContain("fails.policy:3:");
  });
  test("--claims-from-token reads a JWT", async () => {
    const r = await run("eval", "deny.policy", "--claims-from-token", "token.jwt", "--format", "json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { decision: string; incoming: { type: string; issuer: string }[] };
    expect(json.decision).toBe("deny");
    expect(json.incoming.map((c) => c.type)).toEqual(["x-ms-ver", "bad"]);
    expect(json.incoming.every((c) => c.issuer === "AttestationService")).toBe(true);
  });
  test("the policy can come from standard input", async () => {
    const r = await runMaaPolicy(["eval", "-", "--claims", "empty.json"], { cwd: dir, stdin: "version=1.0; authorizationrules { => permit(); };" });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("decision: permit");
  });
  test.each([
    [["eval", "deny.policy"], "give the claims with --claims"],
    [["eval", "--claims", "empty.json"], "no policy file given"],
    [["eval", "deny.policy", "--claims", "empty.json", "--claims-from-token", "token.jwt"], "give one of --claims, --claims-from-token and --evidence (got --claims and --claims-from-token)"],
    [["eval", "deny.policy", "--claims", "empty.json", "--trace", "everything"], "--trace must be one of"],
    [["eval", "deny.policy", "--claims", "empty.json", "--format", "xml"], "--format must be one of"],
    [["eval", "a.policy", "b.policy", "--claims", "empty.json"], "one policy file at a time"],
    [["eval", "missing.policy", "--claims", "empty.json"], "missing.policy: cannot read: no such file or directory"],
    [["eval", "deny.policy", "--claims", "missing.json"], "missing.json: cannot read"],
    [["eval", "deny.policy", "--claims", "malformed.json"], "malformed.json: $.claims[0].value: the fraction 1.5"],
  ])("usage and I/O errors exit 2: %j", async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  test("--help", async () => {
    const r = await run("eval", "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--claims-from-token");
  });
});
