/**
 * Properties of `diffPolicies`: a policy never differs from itself or from its formatted text;
 * renaming claim variables and reordering rules that cannot matter keeps it equivalent; it never
 * throws; and a one-mutation variant (one constant, one operator, one removed rule) of a
 * realistic random policy is told apart by the generated inputs in at least 95% of cases, every
 * reported difference reproducing with `evaluate`.
 */
import fc from "fast-check";
import { compareResults, compile, describeChange, diffPolicies, evaluate, format, parse } from "@maa-policy/core";
import { describe, expect, test } from "vitest";
import { randomPolicy } from "./support/policy-gen.js";
import { domainClaimsArb, mutate, realisticPolicy } from "../diff/support/mutants.js";

const RUNS = 80;
const NO_LINT = { compile: { lint: false } } as const;

describe("a policy does not differ from itself", () => {
  test("diff(p, p) finds nothing, without searching", () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const p = randomPolicy(g);
        const d = diffPolicies(p, p, NO_LINT);
        if (d.status === "error") return;
        expect(d.status).toBe("equivalent");
        expect(d.structural?.identical).toBe(true);
        expect(d.search).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });

  test("diff(p, format(p)) finds nothing, without searching", () => {
    fc.assert(
      fc.property(fc.gen(), fc.integer({ min: 20, max: 120 }), (g, width) => {
        const p = randomPolicy(g);
        const f = format(p, { width }).text;
        const d = diffPolicies(p, f, NO_LINT);
        if (d.status === "error") return;
        expect(d.status).toBe("equivalent");
        expect(d.search).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });

  test("structural equivalence is sound: searching anyway finds no difference (format, renaming, reordered rules)", () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const p = g(fc.boolean) ? realisticPolicy(g) : randomPolicy(g);
        // Every section's rules reversed: equivalent only where no reversed pair can affect each other.
        const file = parse(p).file;
        let reversed = p;
        for (const s of [...file.sections].reverse()) {
          const rules = s.rules.map((r) => p.slice(r.range.start, r.range.end));
          if (rules.length < 2) continue;
          const first = s.rules[0]?.range.start ?? 0;
          const last = s.rules[s.rules.length - 1]?.range.end ?? 0;
          reversed = reversed.slice(0, first) + [...rules].reverse().join("\n    ") + reversed.slice(last);
        }
        const variants = [format(p, { width: 40 }).text, p.replace(/\bc(\d*)\b(?=[:.])/g, "renamed$1"), reversed];
        for (const v of variants) {
          const d = diffPolicies(p, v, { ...NO_LINT, alwaysSearch: true, maxInputs: 400 });
          if (d.status === "error" || !d.structural?.equivalent) continue;
          expect(d.search?.distinct, `${p}\n---\n${v}`).toBe(0);
        }
      }),
      { numRuns: 80 },
    );
  });

  test("renamed claim variables and commuting rules in another order are equivalent", () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const p = realisticPolicy(g);
        const renamed = p.replace(/\bc:/g, "claimVar:").replace(/\bc\.value/g, "claimVar.value");
        const d1 = diffPolicies(p, renamed);
        expect(d1.status).toBe("equivalent");
        // Permit and deny rules add nothing: any order of them is equivalent.
        const lines = p.split("\n");
        const start = lines.indexOf("{") + 1;
        const end = lines.indexOf("};");
        const auth = lines.slice(start, end);
        const shuffled = [...lines.slice(0, start), ...[...auth].reverse(), ...lines.slice(end)].join("\n");
        const d2 = diffPolicies(p, shuffled);
        expect(d2.status).toBe("equivalent");
      }),
      { numRuns: RUNS },
    );
  });

  test("never throws on random policies, and is deterministic", () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const a = randomPolicy(g);
        const b = randomPolicy(g);
        const d1 = diffPolicies(a, b, { ...NO_LINT, maxInputs: 300 });
        const d2 = diffPolicies(a, b, { ...NO_LINT, maxInputs: 300 });
        expect(d1.status).toBe(d2.status);
        expect((d1.search?.differences ?? []).map((x) => x.summary)).toEqual((d2.search?.differences ?? []).map((x) => x.summary));
        for (const x of d1.search?.differences ?? []) expect(x.changes.length).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });
});

test("one-mutation variants are told apart in at least 95% of random cases, and every difference reproduces with evaluate", () => {
  const cases = fc.sample(
    fc.gen().map((g) => {
      const p = realisticPolicy(g);
      return { p, m: mutate(g, p) };
    }),
    { numRuns: 300, seed: 16 },
  );
  // An independent oracle for the mutants the diff does not tell apart: random claim sets. A
  // mutant none of them tells apart either is counted as (presumably) equivalent.
  const oracle = fc.sample(domainClaimsArb, { numRuns: 4000, seed: 1 });
  let total = 0;
  let detected = 0;
  let equivalent = 0;
  const missed: string[] = [];
  const byKind: Record<string, [number, number]> = {};
  for (const { p, m } of cases) {
    if (m === undefined) continue;
    const a = compile(p).policy;
    const b = compile(m.text).policy;
    if (!a || !b) throw new Error(`a mutant does not compile: ${m.what}\n${m.text}`);
    total++;
    const k = (byKind[m.kind] ??= [0, 0]);
    k[1]++;
    const d = diffPolicies(p, m.text);
    if (d.status === "different") {
      detected++;
      k[0]++;
    } else {
      const witness = oracle.find((claims) => compareResults(evaluate(a, claims), evaluate(b, claims)).length > 0);
      if (witness === undefined) equivalent++;
      else missed.push(`${m.kind}: ${m.what}: told apart by ${JSON.stringify(witness)}\n${p}`);
    }
    for (const x of d.search?.differences ?? []) {
      const changes = compareResults(evaluate(a, x.claims), evaluate(b, x.claims));
      expect(changes.map(describeChange)).toEqual(x.changes.map(describeChange));
    }
  }
  const rate = detected / total;
  const distinguishable = detected / (total - equivalent);
  const kinds = Object.entries(byKind).map(([kind, [n, of]]) => `${kind} ${n}/${of}`).join(", ");
  console.info(
    `diff mutation detection: ${detected}/${total} = ${(rate * 100).toFixed(1)}% of all mutants (${kinds}); ` +
      `${equivalent} undetected mutants are not told apart by ${oracle.length} random claim sets either; ` +
      `of the rest, ${detected}/${total - equivalent} = ${(distinguishable * 100).toFixed(1)}%`,
  );
  expect(total).toBeGreaterThan(250);
  expect(distinguishable, missed.slice(0, 5).join("\n---\n")).toBeGreaterThanOrEqual(0.95);
  expect(rate).toBeGreaterThanOrEqual(0.9);
}, 180_000);
