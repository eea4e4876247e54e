/**
 * `JmesPath`'s result text: on random JSON and random queries that share parts of their result
 * (`[@,@]`, `{a: @, b: @}`) or take them apart (`[0]`, `[]`, `.a`), the String the policy gets is
 * exactly `JSON.stringify` of the library's own search result, whether or not the result's parts
 * are shared (the writer reuses the text of a part it meets again).
 */
import { search } from "@jmespath-community/jmespath";
import fc from "fast-check";
import { compile, evaluate } from "@maa-policy/core";
import { describe, expect, test } from "vitest";

// Plain values (the policy's string literal holds the document's JSON text, escaped as JSON: no
// characters whose escapes the two languages spell differently).
const { json: jsonArb } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: "small" },
    fc.integer({ min: -1000, max: 1000 }),
    fc.boolean(),
    fc.constant(null),
    fc.stringMatching(/^[a-z0-9 ]{0,6}$/),
    fc.array(tie("json"), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom("a", "b", "c"), tie("json"), { maxKeys: 3 }),
  ),
}));
// Sharing steps weigh most: a part is reused only when a shared part holds arrays or objects.
const stepArb = fc.oneof(
  { arbitrary: fc.constantFrom("[@,@]", "{a: @, b: [@, @]}", "[@, `1`, @]"), weight: 3 },
  { arbitrary: fc.constantFrom("[@, [@]]", "[0]", "[]", "a", "@", "[*]", "values(@)"), weight: 1 },
);
const queryArb = fc.array(stepArb, { minLength: 1, maxLength: 8 }).map((steps) => steps.join(" | "));

describe("JmesPath result text", () => {
  test("is JSON.stringify of the search result, shared parts included", () => {
    fc.assert(
      fc.property(jsonArb, queryArb, (json, query) => {
        let expected: unknown;
        try {
          expected = search(json as never, query);
        } catch {
          return; // a type error of the query on this document: not what this property is about
        }
        const text = JSON.stringify(JSON.stringify(json));
        const policy = `version=1.2;\nauthorizationrules\n{\n    => add(type="j", value=JmesPath(${text}, ${JSON.stringify(query)}));\n    => permit();\n};\n`;
        const c = compile(policy);
        expect(c.policy, c.diagnostics.map((d) => d.message).join("\n")).toBeDefined();
        const r = evaluate(c.policy!, []);
        if (r.decision === "error") return; // the search's own errors (P3002) are tested elsewhere
        const added = r.incoming.find((claim) => claim.type === "j");
        expect(added?.value).toBe(JSON.stringify(expected ?? null));
      }),
      { numRuns: 500 },
    );
  });
});
