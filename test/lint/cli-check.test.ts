/**
 * `maa-policy check` end to end, in-process: every output format (SARIF validated against the
 * SARIF 2.1.0 JSON schema with ajv), every option, configuration files, ignore patterns,
 * `--fix`, progress and exit codes.
 *
 * `sarif-2.1.0.schema.json` is the OASIS SARIF 2.1.0 JSON schema (`$id`
 * https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json,
 * JSON Schema draft-07). It was taken offline from the npm package
 * `@datadog/datadog-ci-plugin-sarif` 5.25.0, whose bundle embeds the schema file
 * `src/json-schema/sarif-schema-2.1.0.json` as an object literal, and re-serialized as JSON
 * (two-space indentation, key order kept).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runMaaPolicy } from "../support/cli.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void;

const CLEAN = `version=1.2;
authorizationrules
{
    [type=="x-ms-sgx-is-debuggable", value==false] => permit();
};
`;
const WARN = `version=1.2;
authorizationrules
{
    [type=="x-ms-sgx-is-debuggable", value==true] => permit();
};
`;
const ERROR = `version=1.2;
issuancerules
{
    => issue(type="a", value=1);
};
`;
const FIXABLE = `version=1.2;
authorizationrules
{
    c:[type=="x-ms-sgx-svn", value>=2] => permit();
    [type=="x-ms-sgx-svn", issuer="AttestationService"] => permit();
    [type==" x-ms-sgx-svn", value>=2] => permit();
};
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "maa-lint-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(rel: string, text: string): string {
  const full = path.join(dir, rel);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
}

const run = (args: string[], options: { isTTY?: boolean; stdin?: string } = {}) => runMaaPolicy(["check", ...args], { cwd: dir, ...options });

describe("exit codes and pretty output", () => {
  it("exits 0 on a clean policy and prints the summary", async () => {
    write("a.policy", CLEAN);
    const r = await run(["a.policy"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("1 file checked: 0 errors, 0 warnings\n");
  });

  it("exits 0 on warnings and 1 on errors", async () => {
    write("w.policy", WARN);
    write("e.policy", ERROR);
    const w = await run(["w.policy"]);
    expect(w.code).toBe(0);
    expect(w.stdout).toContain("w.policy:4:38: warning P2032:");
    const e = await run(["e.policy"]);
    expect(e.code).toBe(1);
    expect(e.stdout).toContain("error P2007: missing `authorizationrules` section");
    expect(e.stdout).toContain("1 file checked: 1 error, 0 warnings");
  });

  it("exits 2 on a missing file, a bad option value or no operand", async () => {
    expect((await run(["nope.policy"])).code).toBe(2);
    write("a.policy", CLEAN);
    expect((await run(["--format", "xml", "a.policy"])).code).toBe(2);
    expect((await run(["--fail-level", "info", "a.policy"])).code).toBe(2);
    expect((await run(["--max-warnings", "x", "a.policy"])).code).toBe(2);
    expect((await run([])).code).toBe(2);
  });
});

describe("--fail-level and --max-warnings", () => {
  it("fails on warnings with --fail-level warning", async () => {
    write("w.policy", WARN);
    expect((await run(["--fail-level", "warning", "w.policy"])).code).toBe(1);
    expect((await run(["--fail-level", "error", "w.policy"])).code).toBe(0);
  });

  it("fails when warnings exceed --max-warnings", async () => {
    write("w.policy", WARN);
    const r = await run(["--max-warnings", "0", "w.policy"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("more than the --max-warnings limit of 0");
    expect((await run(["--max-warnings", "1", "w.policy"])).code).toBe(0);
  });
});

describe("--rule and --attestation-type", () => {
  it("turns a rule off, or raises it to an error", async () => {
    write("w.policy", WARN);
    const off = await run(["--rule", "P2032=off", "--format", "json", "w.policy"]);
    expect(JSON.parse(off.stdout).summary).toEqual({ errors: 0, warnings: 0 });
    const err = await run(["--rule", "P2032=error", "w.policy"]);
    expect(err.code).toBe(1);
    expect(err.stdout).toContain("error P2032");
  });

  it("accepts repeated --rule flags", async () => {
    write("f.policy", FIXABLE);
    const r = await run(["--rule", "P2012=off", "--rule", "P2022=off", "--format", "json", "f.policy"]);
    const codes = JSON.parse(r.stdout).files[0].diagnostics.map((d: { code: string }) => d.code);
    expect(codes).not.toContain("P2012");
    expect(codes).not.toContain("P2022");
  });

  it("rejects malformed or unconfigurable rules with exit 2", async () => {
    write("a.policy", CLEAN);
    const bad = await run(["--rule", "P2032", "a.policy"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--rule expects CODE=level");
    const syntax = await run(["--rule", "P1001=off", "a.policy"]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toContain("`P1001` is not a configurable diagnostic code");
    const level = await run(["--rule", "P2032=loud", "a.policy"]);
    expect(level.code).toBe(2);
  });

  it("checks claims against the given attestation type", async () => {
    write("a.policy", CLEAN);
    const r = await run(["--attestation-type", "Tpm", "a.policy"]);
    expect(r.stdout).toContain("P2038");
    expect(r.stdout).toContain("not for `Tpm`");
    const bad = await run(["--attestation-type", "SgxEnclav", "a.policy"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("did you mean `SgxEnclave`?");
  });
});

describe("configuration files", () => {
  it("uses the nearest maa-policy.config.json above each file", async () => {
    write("maa-policy.config.json", JSON.stringify({ rules: { P2032: "error" } }));
    write("sub/maa-policy.config.json", JSON.stringify({ rules: { P2032: "off" } }));
    write("top.policy", WARN);
    write("sub/deep/inner.policy", WARN);
    const r = await run(["--format", "json", "."]);
    const files = JSON.parse(r.stdout).files as { path: string; diagnostics: { code: string; severity: string }[] }[];
    const top = files.find((f) => f.path === "top.policy");
    const inner = files.find((f) => f.path.endsWith("inner.policy"));
    expect(top?.diagnostics.map((d) => d.severity)).toEqual(["error"]);
    expect(inner?.diagnostics).toEqual([]);
    expect(r.code).toBe(1);
  });

  it("lets --rule override the configuration file", async () => {
    write("maa-policy.config.json", JSON.stringify({ rules: { P2032: "error" } }));
    write("w.policy", WARN);
    expect((await run(["--rule", "P2032=warning", "w.policy"])).code).toBe(0);
  });

  it("takes the attestation type from the configuration", async () => {
    write("maa-policy.config.json", JSON.stringify({ attestationType: "Tpm" }));
    write("a.policy", CLEAN);
    expect((await run(["a.policy"])).stdout).toContain("P2038");
  });

  it("skips files matched by its ignore patterns", async () => {
    write("maa-policy.config.json", JSON.stringify({ ignore: ["drafts", "**/*.wip.policy"] }));
    write("drafts/x.policy", ERROR);
    write("y.wip.policy", ERROR);
    write("ok.policy", CLEAN);
    const r = await run(["."]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("1 file checked: 0 errors, 0 warnings; 2 files ignored\n");
  });

  it("uses --config for every file instead of searching", async () => {
    write("maa-policy.config.json", JSON.stringify({ rules: { P2032: "error" } }));
    write("other.json", JSON.stringify({ rules: { P2032: "off" } }));
    write("w.policy", WARN);
    const r = await run(["--config", "other.json", "--format", "json", "w.policy"]);
    expect(JSON.parse(r.stdout).summary.warnings).toBe(0);
    expect((await run(["--config", "missing.json", "w.policy"])).code).toBe(2);
  });

  it("reports an invalid configuration with its location and exit 2", async () => {
    write("maa-policy.config.json", '{\n  "rules": { "P2032": "off", }\n}');
    write("w.policy", WARN);
    const r = await run(["w.policy"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/maa-policy\.config\.json:2:\d+: invalid JSON/);
    expect(r.stderr).not.toContain("    at ");
    write("maa-policy.config.json", JSON.stringify({ rule: {} }));
    const typo = await run(["w.policy"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("unknown setting `rule` (did you mean `rules`?)");
    write("maa-policy.config.json", JSON.stringify({ rules: { P2999: "off" } }));
    expect((await run(["w.policy"])).code).toBe(2);
  });
});

describe("output formats", () => {
  it("json keeps the documented shape", async () => {
    write("e.policy", ERROR);
    const r = await run(["--format", "json", "e.policy"]);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(["files", "summary"]);
    expect(json.summary).toEqual({ errors: 1, warnings: 0 });
    const d = json.files[0].diagnostics[0];
    expect(json.files[0].path).toBe("e.policy");
    expect(d).toMatchObject({ code: "P2007", severity: "error", range: { start: { line: 0, character: 0 }, end: { line: 0, character: 12 } } });
    expect(d.fixes[0].title).toBe("add an `authorizationrules` section that permits");
    expect(typeof d.message).toBe("string");
  });

  it("sarif validates against the SARIF 2.1.0 schema", async () => {
    write("e.policy", ERROR);
    write("f.policy", FIXABLE);
    write("maa-policy.config.json", JSON.stringify({ rules: { P2032: "info" } }));
    write("w.policy", WARN);
    write("dup.policy", `version=1.2;\nissuancerules { => issue(type="a", value=1); };\nissuancerules { => issue(type="b", value=1); };\n`);
    const r = await run(["--format", "sarif", "."]);
    const log = JSON.parse(r.stdout);
    const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, "sarif-2.1.0.schema.json"), "utf8"));
    expect(schema.$id).toBe("https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json");
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The schema is really enforced: a driver without its required name is rejected.
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: {} }, results: [] }] })).toBe(false);
    const results = log.runs[0].results as { ruleId: string; level: string; fixes?: unknown[]; relatedLocations?: unknown[] }[];
    expect(results.map((x) => x.ruleId)).toContain("P2007");
    expect(results.find((x) => x.ruleId === "P2032")?.level).toBe("note");
    expect(results.some((x) => x.fixes !== undefined)).toBe(true);
    expect(results.some((x) => x.relatedLocations !== undefined)).toBe(true);
    const rules = log.runs[0].tool.driver.rules as { id: string }[];
    for (const x of results) expect(rules[(x as unknown as { ruleIndex: number }).ruleIndex]?.id).toBe(x.ruleId);
  });

  it("github prints workflow-command annotations with escaped properties", async () => {
    write("a,b.policy", WARN);
    const r = await run(["--format", "github", "a,b.policy"]);
    const first = r.stdout.split("\n")[0];
    expect(first).toBe(
      "::warning file=a%2Cb.policy,line=4,col=38,endLine=4,endColumn=49,title=P2032 debuggable-permitted::this rule permits a debuggable TEE (`x-ms-sgx-is-debuggable` is true): its memory is open to the host, so the attestation proves nothing",
    );
    write("e.policy", ERROR);
    expect((await run(["--format", "github", "e.policy"])).stdout).toMatch(/^::error file=e\.policy,line=1,col=1,/);
    write("i.policy", "version=1.2;\nauthorizationrules\n{\n    c:[type==\"x\"] => permit();\n};\n");
    expect((await run(["--format", "github", "i.policy"])).stdout).toMatch(/^::notice file=i\.policy,/);
  });

  it("junit produces one suite per file and failures at the fail level", async () => {
    write("a.policy", CLEAN);
    write("e.policy", ERROR);
    write("w.policy", WARN);
    const r = await run(["--format", "junit", "a.policy", "e.policy", "w.policy"]);
    expect(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="maa-policy check" tests="3" failures="1" errors="0">')).toBe(true);
    expect(r.stdout.match(/<testsuite /g)?.length).toBe(3);
    expect(r.stdout).toContain('<failure type="error" message="missing `authorizationrules` section');
    expect(r.stdout).toContain('<testcase classname="a.policy" name="no problems"/>');
    write("a&b.policy", WARN);
    const strict = await run(["--format", "junit", "--fail-level", "warning", "a&b.policy"]);
    expect(strict.stdout).toContain('failures="1"');
    expect(strict.stdout).toContain('classname="a&amp;b.policy"');
  });

  it("--output-file writes the report to a file", async () => {
    write("e.policy", ERROR);
    const r = await run(["--format", "json", "--output-file", "out/report.json", "e.policy"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(JSON.parse(readFileSync(path.join(dir, "out", "report.json"), "utf8")).summary.errors).toBe(1);
  });
});

describe("--fix", () => {
  it("applies the safe fixes in place, atomically, and reports what is left", async () => {
    const file = write("f.policy", FIXABLE);
    const r = await run(["--fix", "f.policy"]);
    const fixed = readFileSync(file, "utf8");
    expect(fixed).toBe(`version=1.2;
authorizationrules
{
    [type=="x-ms-sgx-svn", value>=2] => permit();
    [type=="x-ms-sgx-svn", issuer=="AttestationService"] => permit();
    [type==" x-ms-sgx-svn", value>=2] => permit();
};
`);
    expect(r.stdout).toContain("P2022");
    expect(r.stdout).not.toContain("P1004");
    expect(r.stdout).toContain("2 fixes applied");
    expect(readdirSync(dir).filter((f) => f.includes("maa-policy-tmp"))).toEqual([]);
    const again = await run(["--fix", "f.policy"]);
    expect(readFileSync(file, "utf8")).toBe(fixed);
    expect(again.stdout).not.toContain("fixes applied");
  });

  it("leaves a file without safe fixes untouched", async () => {
    const file = write("w.policy", WARN);
    await run(["--fix", "w.policy"]);
    expect(readFileSync(file, "utf8")).toBe(WARN);
  });

  it("refuses standard input", async () => {
    const r = await run(["--fix", "-"], { stdin: FIXABLE });
    expect(r.code).toBe(2);
  });
});

describe("--list-rules", () => {
  it("lists every configurable rule and exits 0", async () => {
    const r = await run(["--list-rules"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines.some((l) => l.startsWith("P2032  warning  debuggable-permitted"))).toBe(true);
    expect(lines.some((l) => l.startsWith("P1016  warning"))).toBe(true);
    expect(lines.some((l) => l.startsWith("P1001"))).toBe(false);
    expect(lines.filter((l) => l.startsWith("P2")).length).toBe(40);
  });
});

describe("many files", () => {
  it("expands globs and directories and shows progress on a terminal", async () => {
    for (let i = 0; i < 8; i++) write(`p/${i}.policy`, CLEAN);
    const tty = await run(["p/*.policy"], { isTTY: true });
    expect(tty.stdout).toContain("8 files checked");
    expect(tty.stderr).toContain("checking 8/8");
    const plain = await run(["p"]);
    expect(plain.stderr).toBe("");
    const few = await run(["p/1.policy", "p/2.policy"], { isTTY: true });
    expect(few.stderr).toBe("");
  });

  it("reads standard input with `-`", async () => {
    const r = await run(["--format", "json", "-"], { stdin: ERROR });
    expect(JSON.parse(r.stdout).files[0].path).toBe("<stdin>");
    expect(r.code).toBe(1);
    expect(existsSync(path.join(dir, "<stdin>"))).toBe(false);
  });
});
