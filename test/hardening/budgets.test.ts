/**
 * Issue 17, item 4: values are bounded. Steps are charged by the size of what is built, Strings
 * are capped (`limits.maxStringLength`), a JMESPath search is charged as it runs and its JSON
 * text is written under the cap, and each failure says which limit was hit (P3006).
 */
import { DEFAULT_LIMITS, compile, evalResultToJson, evaluate } from "@maa-policy/core";
import { describe, expect, it } from "vitest";

const head = "version=1.2;\nauthorizationrules\n{\n";
const doubling = (n: number) =>
  `${head}    => add(type="s0", value="abcdefgh");\n${Array.from({ length: n }, (_, i) => `    c:[type=="s${i}"] => add(type="s${i + 1}", value=AppendString(c.value, c.value));\n`).join("")}    => permit();\n};\n`;
const jmesDoubling = (n: number) => `${head}    => add(type="j", value=JmesPath("[1,2,3,4,5,6,7,8]", "${Array(n).fill("[@,@]").join(" | ")}"));\n    => permit();\n};\n`;

function run(text: string, limits = {}) {
  const c = compile(text);
  expect(c.policy, c.diagnostics.map((d) => d.message).join("\n")).toBeDefined();
  return evaluate(c.policy!, [], { limits });
}

describe("evaluation budgets (item 4)", () => {
  it("28 doubling AppendString rules stop at the string limit, naming it", () => {
    const r = run(doubling(28));
    expect(r.decision).toBe("error");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["P3006"]);
    const limit = DEFAULT_LIMITS.maxStringLength;
    expect(r.diagnostics[0]?.message).toBe(
      `in authorizationrules rule 21: AppendString: a String of ${8 * 2 ** 20} characters exceeds the limit of ${limit} (limits.maxStringLength)`,
    );
    expect(r.outgoing).toEqual([]);
    // The result prints (the JSON output died with "Invalid string length" before): the claims
    // added before the limit, 16 MiB of text at most.
    expect(JSON.stringify(evalResultToJson(r, doubling(28))).length).toBeLessThan(20_000_000);
  });

  it("the step budget counts the characters built", () => {
    // 10 doublings build 8 KiB in all: more than 100 steps at 64 characters a step.
    const r = run(doubling(10), { maxSteps: 100 });
    expect(r.decision).toBe("error");
    expect(r.diagnostics[0]?.message).toMatch(/evaluation exceeded its budget of 100 steps/);
    expect(run(doubling(10), { maxSteps: 10_000 }).decision).toBe("permit");
  });

  it("a JMESPath result longer than the string limit is P3006, written no further than the limit", () => {
    const r = run(jmesDoubling(24));
    expect(r.decision).toBe("error");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["P3006"]);
    expect(r.diagnostics[0]?.message).toMatch(/its result is longer than the limit of 4194304 characters \(limits\.maxStringLength\)/);
    const small = run(jmesDoubling(6));
    expect(small.decision).toBe("permit");
    expect(small.incoming[0]?.value).toBe(JSON.stringify(Array(6).fill(0).reduce((x) => [x, x], [1, 2, 3, 4, 5, 6, 7, 8])));
  });

  it("a JMESPath search is charged as it runs: a query that multiplies its data runs out of steps", () => {
    const flat = `${head}    => add(type="j", value=JmesPath("[1,2,3,4,5,6,7,8]", "${Array(20).fill("[@,@] | []").join(" | ")}"));\n    => permit();\n};\n`;
    const r = run(flat);
    expect(r.decision).toBe("error");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["P3006"]);
    expect(r.diagnostics[0]?.message).toMatch(/evaluation exceeded its budget of 1000000 steps/);
  });

  it("an input claim longer than the string limit is refused with the limit", () => {
    const c = compile(`${head}    => permit();\n};\n`);
    const r = evaluate(c.policy!, [{ type: "a", value: "x".repeat(101) }], { limits: { maxStringLength: 100 } });
    expect(r.decision).toBe("error");
    expect(r.diagnostics[0]?.message).toBe("in the input claims: input claim 0: a String of 101 characters exceeds the limit of 100 (limits.maxStringLength)");
  });

  it("maxStringLength is validated like the other limits", () => {
    const c = compile(`${head}    => permit();\n};\n`);
    expect(() => evaluate(c.policy!, [], { limits: { maxStringLength: 0 } })).toThrow(TypeError);
  });
});
