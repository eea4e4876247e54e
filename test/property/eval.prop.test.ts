/**
 * Properties of the evaluator: it never throws on random policies and claims, it is
 * deterministic, it fails closed, and it agrees with the reference evaluator written separately
 * in support/reference-eval.ts (differential testing, as Cedar does against its Lean model).
 * Random policies are compiled with `lint: false`, so that the evaluator's run-time behaviour is
 * also compared on policies the linter would reject statically (wrong argument types …).
 */
import fc from "fast-check";
import { claimToJson, compile, evaluate, parse, type EvalResult, type InputClaim } from "@maa-policy/core";
import { describe, expect, test } from "vitest";
import { claimsArb, randomPolicy } from "./support/policy-gen.js";
import { referenceEvaluate, type RefClaim } from "./support/reference-eval.js";

const RUNS = 300;

function norm(c: { type: string; value: unknown; issuer: string }): string {
  return JSON.stringify([c.type, typeof c.value === "bigint" ? `${c.value}n` : c.value, typeof c.value, c.issuer]);
}

function snapshot(r: EvalResult): string {
  return JSON.stringify({
    decision: r.decision,
    incoming: r.incoming.map(claimToJson),
    outgoing: r.outgoing.map(claimToJson),
    properties: r.properties.map(claimToJson),
    token: r.token,
    diagnostics: r.diagnostics,
  });
}

/** Token soup: fragments of the language glued at random, to reach odd corners of the parser and compiler. */
const soup = fc
  .array(
    fc.constantFrom(
      "version=1.2;", "authorizationrules", "issuancerules", "configurationrules", "{", "}", "};", ";", "=>", "permit()", "deny()",
      "c:", "![", "[", "]", "type==", "value>=", "issuer!=", "\"a\"", "1", "-5", "true", "c.value", "&&", ",",
      "issue(", "add(", "issueproperty(", "type=", "value=", "claim=c", ")", "JmesPath(", "JsonToClaimValue(", "AppendString(",
      "NegateBool(", "IsSubsetOf(", "ContainsOnlyValue(", "\"[1,2]\"", "\"{\\\"a\\\":1}\"", " ", "\n",
    ),
    { maxLength: 60 },
  )
  .map((xs) => xs.join(""));

describe("evaluator properties", () => {
  test("never throws: random text (token soup) and random claims", () => {
    fc.assert(
      fc.property(fc.oneof(soup, fc.string({ maxLength: 200 })), claimsArb, (text, claims) => {
        for (const lint of [true, false]) {
          const { policy } = compile(text, { lint });
          if (policy) evaluate(policy, claims as InputClaim[], { trace: "full" });
        }
      }),
      { numRuns: RUNS },
    );
  });

  test("never throws on well-formed random policies; deterministic; fail-closed", () => {
    fc.assert(
      fc.property(fc.gen(), claimsArb, fc.constantFrom("off", "rules", "full") as fc.Arbitrary<"off" | "rules" | "full">, (g, claims, trace) => {
        const text = randomPolicy(g);
        const { policy, diagnostics } = compile(text, { lint: false });
        expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const a = evaluate(policy!, claims as InputClaim[], { trace });
        const b = evaluate(policy!, claims as InputClaim[], { trace });
        expect(snapshot(a)).toBe(snapshot(b));
        const hasError = a.diagnostics.some((d) => d.severity === "error");
        expect(hasError).toBe(a.decision === "error");
        if (a.decision !== "permit") expect(a.outgoing).toEqual([]);
        if (a.decision === "error") expect(a.properties).toEqual([]);
        // A tight step budget may stop the evaluation, but never turns it into a permit it would not give.
        const tight = evaluate(policy!, claims as InputClaim[], { limits: { maxSteps: 5 } });
        expect(["error", a.decision]).toContain(tight.decision);
      }),
      { numRuns: RUNS },
    );
  });

  test("agrees with the reference evaluator (differential)", () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.gen(), claimsArb, (g, claims) => {
        const text = randomPolicy(g);
        const { policy } = compile(text, { lint: false });
        const mine = evaluate(policy!, claims as InputClaim[]);
        const ref = referenceEvaluate(parse(text).file, claims);
        expect(mine.decision, text).toBe(ref.decision);
        if (ref.decision === "error") return;
        compared++;
        const refNorm = (cs: RefClaim[]) => cs.map((c) => norm(c) + (c.ro ? " ro" : ""));
        const myNorm = (cs: EvalResult["incoming"]) => cs.map((c) => norm(c) + (c.readOnly ? " ro" : ""));
        expect(myNorm(mine.incoming), text).toEqual(refNorm(ref.incoming));
        expect(myNorm(mine.outgoing), text).toEqual(refNorm(ref.outgoing));
        expect(myNorm(mine.properties), text).toEqual(refNorm(ref.properties));
      }),
      { numRuns: 600 },
    );
    expect(compared).toBeGreaterThan(100);
  });
});
