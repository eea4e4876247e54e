/**
 * Data-driven evaluator fixtures (Cedar-style): `test/fixtures/eval/<slug>.json` names a policy
 * (`policy`: a file next to it) and lists cases, each with input claims (any form that
 * `parseClaimsInput` accepts), the expected decision, and optionally the issued claims, the
 * properties, the final incoming claims, the token view and the evaluation diagnostic codes.
 * Expected claims are compared in order, on the members they give. A fixture whose policy must
 * not compile says `"compileError": true` (with a substring of the expected message, looked for
 * in the diagnostics with and without the linter).
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { claimToJson, compile, evaluate, parseClaimsInput, type Claim, type EvalOptions } from "@maa-policy/core";
import { describe, expect, test } from "vitest";

const dir = path.resolve(import.meta.dirname, "../fixtures/eval");

interface FixtureCase {
  readonly description: string;
  readonly incoming: unknown;
  readonly decision: "permit" | "deny" | "error";
  readonly issued?: readonly Record<string, unknown>[];
  readonly properties?: readonly Record<string, unknown>[];
  readonly finalIncoming?: readonly Record<string, unknown>[];
  readonly token?: Record<string, unknown>;
  readonly codes?: readonly string[];
  readonly message?: string;
  readonly limits?: EvalOptions["limits"];
}

interface Fixture {
  readonly description: string;
  readonly policy: string;
  readonly note?: string;
  readonly compileError?: boolean;
  readonly compileMessage?: string;
  readonly cases?: readonly FixtureCase[];
}

function project(actual: readonly Claim[], expected: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return actual.map((c, i) => {
    const j = claimToJson(c) as unknown as Record<string, unknown>;
    const keys = Object.keys(expected[i] ?? { type: 0, value: 0 });
    return Object.fromEntries(keys.map((k) => [k, j[k]]));
  });
}

const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

test("there are evaluator fixtures", () => {
  expect(files.length).toBeGreaterThan(30);
});

for (const file of files) {
  const fixture = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Fixture;
  describe(`${file}: ${fixture.description}`, () => {
    const text = readFileSync(path.join(dir, fixture.policy), "utf8");
    const compiled = compile(text);
    if (fixture.compileError === true) {
      test("does not compile", () => {
        expect(compiled.policy).toBeUndefined();
        // Messages come from the parser, the linter, or (without the linter) the compiler's own P3009.
        const raw = compile(text, { lint: false });
        const messages = [...compiled.diagnostics, ...raw.diagnostics].filter((d) => d.severity === "error").map((d) => d.message);
        expect(messages.length).toBeGreaterThan(0);
        if (fixture.compileMessage !== undefined) expect(messages.join("\n")).toContain(fixture.compileMessage);
      });
      return;
    }
    test("compiles", () => {
      expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(compiled.policy).toBeDefined();
    });
    for (const c of fixture.cases ?? []) {
      test(c.description, () => {
        const input = parseClaimsInput(JSON.stringify(c.incoming), `${file}: incoming`);
        expect(input.errors).toEqual([]);
        const options: EvalOptions = c.limits ? { limits: c.limits } : {};
        const r = evaluate(compiled.policy!, input.claims, options);
        expect(r.decision, r.diagnostics.map((d) => d.message).join("\n")).toBe(c.decision);
        if (c.issued) expect(project(r.outgoing, c.issued)).toEqual(c.issued);
        if (c.properties) expect(project(r.properties, c.properties)).toEqual(c.properties);
        if (c.finalIncoming) expect(project(r.incoming, c.finalIncoming)).toEqual(c.finalIncoming);
        if (c.token) expect(r.token).toEqual(c.token);
        expect(r.diagnostics.map((d) => d.code)).toEqual(c.codes ?? []);
        if (c.message !== undefined) expect(r.diagnostics.map((d) => d.message).join("\n")).toContain(c.message);
        // Fail closed: an error diagnostic means the decision is `error`, with nothing issued.
        if (r.diagnostics.some((d) => d.severity === "error")) {
          expect(r.decision).toBe("error");
          expect(r.outgoing).toEqual([]);
          expect(r.properties).toEqual([]);
        }
        // Deterministic, and tracing does not change the outcome.
        const again = evaluate(compiled.policy!, input.claims, { ...options, trace: "full" });
        expect(again.decision).toBe(r.decision);
        expect(again.outgoing).toEqual(r.outgoing);
        expect(again.incoming).toEqual(r.incoming);
        expect(again.properties).toEqual(r.properties);
      });
    }
  });
}
