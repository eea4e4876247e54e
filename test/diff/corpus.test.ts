/**
 * The real-world corpus replayed: every published policy that compiles is equivalent to itself
 * and to its formatted text (shown by structure), and a forced search on those pairs finds no
 * difference; every corpus policy, compiling or not, is diffed against the next one without a
 * throw, and the report always serializes.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { compile, diffPolicies, format, policyDiffToJson, renderDiffMarkdown } from "@maa-policy/core";

const dir = path.resolve(import.meta.dirname, "../fixtures/real-world");
const files = readdirSync(dir).filter((f) => f.endsWith(".policy")).sort();

test("every compiling corpus policy: diff(p, p) and diff(p, format(p)) find nothing", () => {
  let compiled = 0;
  for (const f of files) {
    const text = readFileSync(path.join(dir, f), "utf8");
    if (compile(text).policy === undefined) continue;
    compiled++;
    const same = diffPolicies(text, text);
    expect(same.status, f).toBe("equivalent");
    expect(same.structural?.identical, f).toBe(true);
    const formatted = format(text).text;
    const d = diffPolicies(text, formatted, { alwaysSearch: true, maxInputs: 150 });
    expect(d.structural?.equivalent, f).toBe(true);
    expect(d.search?.distinct, f).toBe(0);
  }
  expect(compiled).toBeGreaterThan(40);
}, 120_000);

test("consecutive corpus policies are diffed without a throw, and the reports serialize", () => {
  for (let i = 0; i + 1 < files.length; i++) {
    const a = readFileSync(path.join(dir, files[i] as string), "utf8");
    const b = readFileSync(path.join(dir, files[i + 1] as string), "utf8");
    const d = diffPolicies(a, b, { maxInputs: 100, compile: { lint: false } });
    const json = policyDiffToJson(d, { oldName: files[i] as string, oldText: a, newName: files[i + 1] as string, newText: b });
    expect(() => JSON.stringify(json)).not.toThrow();
    expect(renderDiffMarkdown(json).startsWith("### Policy diff:")).toBe(true);
    for (const x of d.search?.differences ?? []) expect(x.changes.length).toBeGreaterThan(0);
  }
}, 120_000);
