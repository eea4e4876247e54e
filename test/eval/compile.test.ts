/**
 * `compile` and the API edges of `evaluate`: what makes a policy not executable (P3009), input
 * claims that are malformed (P3007), caller misuse (TypeError), and the trace levels.
 */
import { compile, evaluate, evalResultToJson, type InputClaim } from "@maa-policy/core";
import { describe, expect, test } from "vitest";

function ok(text: string) {
  const r = compile(text);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.policy!;
}

describe("compile", () => {
  test("lint errors stop compilation; `lint: false` compiles what is only statically wrong, and it fails at run time", () => {
    const src = 'version=1.2; authorizationrules { => add(type="x", value=NegateBool("no")); };';
    const linted = compile(src);
    expect(linted.policy).toBeUndefined();
    expect(linted.diagnostics.some((d) => d.code.startsWith("P2") && d.severity === "error")).toBe(true);
    const raw = compile(src, { lint: false });
    expect(raw.diagnostics).toEqual([]);
    const r = evaluate(raw.policy!, []);
    expect(r.decision).toBe("error");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["P3003"]);
  });
  test("P3009 for what makes evaluation ill-defined, unless another error explains it", () => {
    const r = compile('version=1.2; authorizationrules { c:[type=="a"] => issue(type="x", value=d.value); };');
    expect(r.policy).toBeUndefined();
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((d) => d.range.start >= 0 && d.range.end <= 90)).toBe(true);
    expect(errors.map((d) => d.message).join("\n")).toContain("`d`");
  });
  test("the P3009 message for an unknown function suggests the right name", () => {
    const r = compile('version=1.2; authorizationrules { => issue(type="x", value=NegateBol(true)); };');
    expect(r.diagnostics.map((d) => d.message).join("\n")).toContain("NegateBool");
  });
  test("syntax errors stop compilation and are returned", () => {
    const r = compile("version=1.2; authorizationrules { => premit(); };");
    expect(r.policy).toBeUndefined();
    expect(r.diagnostics.some((d) => d.code.startsWith("P1"))).toBe(true);
  });
  test("a policy compiles once and evaluates many times with the same result", () => {
    const p = ok('version=1.2; authorizationrules { c:[type=="a"] => permit(); }; issuancerules { c:[type=="a"] => issue(claim=c); };');
    const claims: InputClaim[] = [{ type: "a", value: 1 }];
    const first = JSON.stringify(evaluate(p, claims));
    for (let i = 0; i < 5; i++) expect(JSON.stringify(evaluate(p, claims))).toBe(first);
    expect(p.rules.map((r) => `${r.section}:${r.index}`)).toEqual(["authorizationrules:1", "issuancerules:1"]);
  });
  test("P3009 is an evaluation code with a docs page", () => {
    const r = compile("version=1.0; configurationrules { }; authorizationrules { => permit(); };");
    expect(r.policy).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining([expect.stringMatching(/^P[23]/)]));
  });
});

describe("P3009 (compile with lint: false, so that only the compiler's own verification speaks)", () => {
  test.each([
    ['version=1.2; authorizationrules { c:[type=="a"] => issue(type="x", value=d.value); };', "identifier `d` is not bound"],
    ['version=1.2; authorizationrules { c:[type=="a"] && c:[type=="b"] => permit(); };', "identifier `c` is bound twice"],
    ['version=1.2; authorizationrules { c:[type=="a", value==c.value] => permit(); };', "identifier `c` is not bound by an earlier condition"],
    ['version=1.2; authorizationrules { => add(type="x", value=Nope(1)); };', "unknown function `Nope`"],
    ['version=1.2; authorizationrules { => add(type="x", value=NegateBool(true, false)); };', "`NegateBool` takes 1 argument, not 2"],
    ['version=1.1; authorizationrules { => add(type="x", value=NegateBool(true)); };', "needs version 1.2 or later"],
    ['version=1.0; configurationrules { }; authorizationrules { => permit(); };', "`configurationrules` needs version 1.1"],
    ["version=1.2; issuancerules { };", "no `authorizationrules` section"],
    ["version=1.2; issuancerules { }; authorizationrules { };", "out of order"],
    ["version=1.2; authorizationrules { }; authorizationrules { };", "appears twice"],
    ["version=3.1; authorizationrules { };", "unknown version `3.1`"],
    ['version=1.2; authorizationrules { => add(type="x"); };', "needs a `value=` argument"],
    ['version=1.2; authorizationrules { => add(type="x", value=1, type="y"); };', "argument `type` is given twice"],
    ['version=1.2; authorizationrules { c:[type=="a"] => add(claim=c, type="y"); };', "`claim=` must be the only argument"],
    ['version=1.2; authorizationrules { => add(claim=d); };', "identifier `d` is not bound"],
    ['version=1.2; authorizationrules { c:[type=="a"] => add(type="x", value=c); };', "write `c.value`"],
  ])("%s", (text, message) => {
    const r = compile(text, { lint: false });
    expect(r.policy).toBeUndefined();
    const p3009 = r.diagnostics.filter((d) => d.code === "P3009");
    expect(p3009.length).toBeGreaterThan(0);
    expect(p3009.map((d) => d.message).join("\n")).toContain(message);
    for (const d of r.diagnostics) expect(d.range.end).toBeLessThanOrEqual(text.length);
  });
});

describe("evaluate: input and options", () => {
  const p = ok('version=1.2; authorizationrules { => permit(); }; issuancerules { c:[type=="a"] => issue(type="b", value=c.value); };');
  test.each([
    // The messages are those of a claims file (one rule for every input form, issue 17 item 10).
    [[{ type: 1, value: 1 }], "input claim 0: `type`: must be a string, not number 1"],
    [[{ type: "a", value: 1.5 }], "input claim 0: `value`: the fraction 1.5 is not a claim value"],
    [[{ type: "a", value: null }], "input claim 0: `value`: must be a Boolean, an Integer or a String, not null"],
    [[{ type: "a", value: 1, valueType: "String" }], "input claim 0: `valueType`: is String but the value is the Integer 1"],
    [[{ type: "a", value: 1, valueType: "Number" }], "input claim 0: `valueType`: must be one of Boolean, Integer, String"],
    [[{ type: "a", value: "x", valueType: "Integer" }], "is not a signed 64-bit decimal integer"],
    [[{ type: "a", value: 1, issuer: 5 }], "input claim 0: `issuer`: must be a string, not number 5"],
    [[{ type: "a", value: 2n ** 64n }], "the integer 18446744073709551616 is outside the signed 64-bit range"],
    [["a"], "input claim 0: a claim must be an object with `type` and `value`"],
    ["not a list", "the input claims are not a list"],
  ])("P3007, case %#", (claims, message) => {
    const r = evaluate(p, claims as unknown as InputClaim[]);
    expect(r.decision).toBe("error");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["P3007"]);
    expect(r.diagnostics[0]?.message).toContain(message);
  });
  test("an Integer given as a string with valueType Integer, and a bigint, are accepted", () => {
    const r = evaluate(p, [{ type: "a", value: "12", valueType: "Integer" }, { type: "a", value: 2n ** 60n }]);
    expect(r.outgoing.map((c) => c.value)).toEqual([12, 2n ** 60n]);
  });
  test("an unexpected exception is reported as P9001 with the decision error (fail closed)", () => {
    const hostile = { get type(): string { throw new Error("boom"); }, value: 1 };
    const r = evaluate(p, [hostile as unknown as InputClaim]);
    expect(r.decision).toBe("error");
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([["P9001", "internal error during evaluation: boom"]]);
  });
  test("the token view keeps a claim type named __proto__ as an ordinary member", () => {
    const q = ok('version=1.2; authorizationrules { => permit(); }; issuancerules { => issue(type="__proto__", value=1); => issue(type="__proto__", value=2); };');
    const token = evaluate(q, []).token;
    expect(Object.keys(token)).toEqual(["__proto__"]);
    expect(Object.getOwnPropertyDescriptor(token, "__proto__")?.value).toEqual([1, 2]);
    expect(Object.getPrototypeOf(token)).toBe(Object.prototype);
  });
  test("caller misuse throws TypeError", () => {
    expect(() => evaluate(p, [], { trace: "loud" as "full" })).toThrow(TypeError);
    expect(() => evaluate(p, [], { limits: { maxSteps: 0 } })).toThrow(TypeError);
    expect(() => evaluate(p, [], { limits: { maxDepth: 1.5 } })).toThrow(TypeError);
  });
});

describe("trace", () => {
  const text = `version=1.2;
authorizationrules {
    => issue(type="from-authz", value=1);
    c:[type=="x-ms-sgx-svn", value>=2] => permit();
};
issuancerules {
    c:[type=="x-ms-sgx-svn"] => issue(type="svn", value=c.value);
    ![type=="x-ms-sgx-svn"] => issue(type="none", value=true);
};`;
  const p = ok(text);
  const claims: InputClaim[] = [{ type: "x-ms-sgx-svn", value: 1, issuer: "AttestationService" }, { type: "other", value: "q" }];

  test("off: no trace", () => {
    expect(evaluate(p, claims).trace).toBeUndefined();
  });
  test("rules: each rule, fired or not, its effect and what it produced, without condition details", () => {
    const t = evaluate(p, claims, { trace: "rules" }).trace!;
    expect(t.map((e) => [e.section, e.rule, e.fired, e.effect])).toEqual([
      ["authorizationrules", 1, true, "add"],
      ["authorizationrules", 2, false, "permit"],
    ]);
    expect(t[0]?.note).toContain("behaves as `add`");
    expect(t[0]?.produced?.map((c) => c.type)).toEqual(["from-authz"]);
    expect(t[1]?.conditions).toBeUndefined();
  });
  test("full: the first failing test and the values compared", () => {
    const t = evaluate(p, claims, { trace: "full" }).trace!;
    const cond = t[1]?.conditions?.[0];
    expect(cond?.holds).toBe(false);
    expect(cond?.failure?.test).toBe(1);
    expect(cond?.failure?.property).toBe("value");
    expect(cond?.failure?.operator).toBe(">=");
    expect(cond?.failure?.expected).toEqual([2]);
    expect(cond?.failure?.candidates).toBe(1);
    expect(cond?.failure?.compared.map((x) => x.actual)).toEqual([1]);
    expect(text.slice(cond!.failure!.range!.start, cond!.failure!.range!.end)).toBe("value>=2");
  });
  test("full: matched claims of a condition that holds, and of a negated one that fails", () => {
    const r = evaluate(p, [{ type: "x-ms-sgx-svn", value: 3 }], { trace: "full" });
    expect(r.decision).toBe("permit");
    const t = r.trace!;
    expect(t.find((e) => e.section === "issuancerules" && e.rule === 1)?.conditions?.[0]?.matched.map((c) => c.value)).toEqual([3]);
    const negated = t.find((e) => e.section === "issuancerules" && e.rule === 2)?.conditions?.[0];
    expect(negated?.holds).toBe(false);
    expect(negated?.matchedCount).toBe(1);
    expect(negated?.failure).toBeUndefined();
  });
  test("a failing rule's trace entry carries the error; JSON form has positions", () => {
    const src = 'version=1.2; authorizationrules { c:[type=="s"] => add(type="x", value=NegateBool(c.value)); };';
    const r = evaluate(ok(src), [{ type: "s", value: "no" }], { trace: "rules" });
    expect(r.decision).toBe("error");
    expect(r.trace?.[0]?.error).toContain("NegateBool");
    const json = evalResultToJson(r, src);
    expect(json.decision).toBe("error");
    expect(json.diagnostics[0]?.code).toBe("P3003");
    expect(json.trace?.[0]).toMatchObject({ section: "authorizationrules", rule: 1, fired: true });
  });
  test("no claims at all: the failure says so", () => {
    const q = ok('version=1.2; authorizationrules { [type=="a"] => permit(); };');
    const t = evaluate(q, [], { trace: "full" }).trace!;
    expect(t[0]?.conditions?.[0]?.failure).toMatchObject({ test: -1, candidates: 0 });
  });
});
