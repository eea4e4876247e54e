/**
 * `diffPolicies` case by case: what structural equivalence covers and what it refuses, the
 * change kinds, inputs with large integers, failing evaluations, JMESPath witnesses, option
 * checks, and a JSON report that always serializes.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { diffPolicies, parse, policyDiffToJson, renderDiffMarkdown } from "@maa-policy/core";
import { generateInputs } from "../../packages/policy-core/src/diff/generate.js";

const P = (auth: string, iss = "") => `version=1.2;\nauthorizationrules\n{\n${auth}\n};\nissuancerules\n{\n${iss}\n};\n`;

describe("structural equivalence", () => {
  test("renamed variables, sorted tests and arguments, unused bindings", () => {
    const a = P('c:[type=="a", value==1] => permit();', 'x:[type=="s"] => issue(type="t", value=x.value);');
    const b = P('[value==1, type=="a"] => permit();', 'y:[type=="s"] => issue(value=y.value, type="t");');
    const d = diffPolicies(a, b);
    expect(d.status).toBe("equivalent");
    expect(d.search).toBeUndefined();
  });

  test("rules that commute may be reordered; rules that read what another adds may not", () => {
    const commuting = diffPolicies(P('[type=="a"] => deny();\n=> permit();'), P('=> permit();\n[type=="a"] => deny();'));
    expect(commuting.status).toBe("equivalent");
    // The second rule reads the claim the first adds: in the other order it never sees it.
    const a = P('=> permit();', 'c:[type=="s"] => add(type="t", value=c.value);\nd:[type=="t"] => issue(type="out", value=d.value);');
    const b = P('=> permit();', 'd:[type=="t"] => issue(type="out", value=d.value);\nc:[type=="s"] => add(type="t", value=c.value);');
    const d = diffPolicies(a, b);
    expect(d.structural?.equivalent).toBe(false);
    expect(d.status).toBe("different");
    expect(d.search?.differences.map((x) => x.summary)).toContain('issued claim `out` removed (was "value")');
  });

  test("literal conditions may be reordered; different versions are never equivalent by structure", () => {
    expect(diffPolicies(P('[type=="a"] && [type=="b"] => permit();'), P('[type=="b"] && [type=="a"] => permit();')).status).toBe("equivalent");
    const v = diffPolicies(P("=> permit();"), P("=> permit();").replace("version=1.2", "version=1.0"));
    expect(v.structural?.equivalent).toBe(false);
    expect(v.status).toBe("no-difference-found");
  });

  test("behaviourally equal but structurally different: no difference found, not equivalent", () => {
    const d = diffPolicies(P('[type=="svn", value>=2] => permit();'), P('[type=="svn", value>1] => permit();'));
    expect(d.status).toBe("no-difference-found");
    expect(d.search?.targetMet).toBe(true);
  });
});

describe("changes and inputs", () => {
  test("an evaluation failure on one side is reported with its kind", () => {
    const a = P('c:[type=="j"] => permit();');
    const b = P('c:[type=="j"] && [type=="k", value==JmesPath(c.value, "a")] => permit();');
    const d = diffPolicies(a, b, { compile: { lint: false } });
    const kinds = new Set(d.search?.differences.flatMap((x) => x.kinds));
    expect(kinds.has("deny-more")).toBe(true);
    expect(d.search?.differences.some((x) => x.new.decision === "error")).toBe(true);
  });

  test("given inputs with Integers beyond 2^53 and many claims: a JSON report that serializes", () => {
    const big = 2n ** 60n;
    const a = P(`[type=="n", value>=${big}] => permit();`);
    const b = P(`[type=="n", value>${big}] => permit();`);
    const claims = [{ type: "n", value: big, valueType: "Integer" }, ...Array.from({ length: 2000 }, (_, i) => ({ type: `x${i}`, value: i }))];
    const d = diffPolicies(a, b, { inputs: [{ name: "big", claims }] });
    expect(d.given[0]?.changes).toEqual([{ kind: "decision", old: "permit", new: "deny" }]);
    const json = policyDiffToJson(d, { oldName: "a", oldText: a, newName: "b", newText: b });
    const text = JSON.stringify(json);
    expect(JSON.parse(text).given[0].claims[0]).toEqual({ type: "n", value: big.toString(), valueType: "Integer" });
    // The generated boundary is exact too.
    expect(d.search?.differences[0]?.claims).toEqual([{ type: "n", value: big.toString(), valueType: "Integer", issuer: "AttestationService" }]);
    expect(renderDiffMarkdown(json)).toContain("decision permit → deny");
  });

  test("a policy with errors cannot be compared", () => {
    const d = diffPolicies("version=1.2; authorizationrules { => premit(); };", P("=> permit();"));
    expect(d.status).toBe("error");
    expect(d.diagnostics.old.some((x) => x.code === "P1007")).toBe(true);
    expect(renderDiffMarkdown(policyDiffToJson(d, { oldName: "a", oldText: "", newName: "b", newText: "" }))).toContain("Cannot compare");
  });

  test("bad options are a TypeError", () => {
    expect(() => diffPolicies("", "", { maxInputs: 0 })).toThrow(TypeError);
    expect(() => diffPolicies("", "", { maxDifferences: 1.5 })).toThrow(TypeError);
  });

  test("the input budget is respected and reported", () => {
    const rules = Array.from({ length: 30 }, (_, i) => `[type=="t${i}", value>=${i}] => permit();`).join("\n");
    const d = diffPolicies(P(rules), P(rules.replace(">=7]", ">=8]")), { maxInputs: 50 });
    expect(d.search?.inputs).toBe(50);
    expect(d.search?.truncated).toBe(true);
  });
});

test("JMESPath queries get witness documents, through chains of added claims: a TPM policy and its edit", () => {
  const text = readFileSync(path.resolve(import.meta.dirname, "../fixtures/real-world/20-doc-tpm-samples-v1.2-boot-properties.policy"), "utf8");
  const d = diffPolicies(text, text.replace("'SecureBoot'", "'SecureBootX'"));
  expect(d.search?.jmesPath.queries).toBeGreaterThan(4);
  expect(d.search?.jmesPath.witnessed).toBe(d.search?.jmesPath.queries);
  expect(d.status).toBe("different");
  // The smallest input that shows it: the SecureBoot variable document, derived from the query.
  const x = d.search?.differences.find((y) => y.summary.includes("SecureBootEnabled"));
  expect(x?.summary).toBe("issued claim `SecureBootEnabled` changed: true → false");
  const doc = JSON.parse(String(x?.claims.find((c) => c.type === "efiConfigVariables")?.value)) as { ProcessedData: unknown }[];
  expect(doc[0]?.ProcessedData).toEqual({ VariableData: "AQ", UnicodeName: "SecureBoot" });
  // Through the chain `events` → `efiConfigVariables`, the event log itself gets a document on which both queries select.
  const gen = generateInputs(parse(text).file, parse(text).file, 5000);
  const logs = gen.inputs.flatMap((i) => i.claims.filter((c) => c.type === "events").map((c) => String(c.value)));
  expect(logs.some((l) => l.includes('"UnicodeName":"SecureBoot"') && l.includes('"VariableGuid":"8BE4DF61-93CA-11D2-AA0D-00E098032B8C"') && l.includes('"EventTypeString":"EV_EFI_VARIABLE_DRIVER_CONFIG"'))).toBe(true);
});
