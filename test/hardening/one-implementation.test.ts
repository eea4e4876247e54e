/**
 * Issue 17, item 10: logic that was written twice, and had drifted, now has one implementation.
 * The literal conversions of P2020 and P2039 are one (P2039 refused `"-1"`, P2020 accepted it);
 * input claims are checked by one rule whether they come through `evaluate` or a claims file.
 */
import { check, compile, evaluate, parseClaimsInput, type InputClaim } from "@maa-policy/core";
import { describe, expect, it } from "vitest";

const fixesOf = (text: string, code: string) =>
  check(text)
    .diagnostics.filter((d) => d.code === code)
    .map((d) => d.fix?.edits.map((e) => e.newText).join("") ?? null);

describe("one implementation each (item 10)", () => {
  it("P2039 converts literals as P2020 does, negative integers included", () => {
    const config = (v: string) => `version=1.2;\nconfigurationrules\n{\n    => issueproperty(type="required_pcr_mask", value=${v});\n};\nauthorizationrules\n{\n    => permit();\n};\n`;
    expect(fixesOf(config('"-1"'), "P2039")).toEqual(["-1"]);
    expect(fixesOf(config('"16777215"'), "P2039")).toEqual(["16777215"]);
    const claim = (v: string) => `version=1.2;\nauthorizationrules\n{\n    [type=="x-ms-sgx-svn", value==${v}] => permit();\n};\n`;
    expect(fixesOf(claim('"-1"'), "P2020")).toEqual(["-1"]);
    const tcb = `version=1.2;\nconfigurationrules\n{\n    => issueproperty(type="x-ms-sgx-tcbidentifier", value=10);\n};\nauthorizationrules\n{\n    => permit();\n};\n`;
    expect(fixesOf(tcb, "P2039")[0]).toBe('"10"');
  });

  it("an input claim gets the same verdict through evaluate and through a claims file", () => {
    const policy = compile("version=1.2;\nauthorizationrules\n{\n    => permit();\n};\n").policy!;
    for (const claim of [{ type: "a", value: 1.5 }, { type: "a", value: 1, valueType: "String" }, { type: 1, value: 1 }, { type: "a", value: "x", valueType: "Integer" }, { type: "a", value: [1] }]) {
      const api = evaluate(policy, [claim as unknown as InputClaim]).diagnostics[0]?.message ?? "";
      const file = parseClaimsInput(JSON.stringify({ claims: [claim] }), "c.json").errors[0] ?? "";
      const apiReason = api.replace(/^input claim 0: (`\w+`: )?/, "");
      const fileReason = file.replace(/^c\.json: \$\.claims\[0\](\.\w+)?: /, "");
      expect(apiReason, JSON.stringify(claim)).toBe(fileReason);
      expect(apiReason.length).toBeGreaterThan(10);
    }
  });
});
