/**
 * docs/policytest.schema.json describes the policy test files: the bundled examples and the
 * example in docs/evaluation.md validate against it, and a malformed file does not.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import { describe, expect, test } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const load = (p: string) => JSON.parse(readFileSync(path.join(root, p), "utf8")) as object;
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema(load("docs/claims-input.schema.json"), "claims-input.schema.json");
const validate = ajv.compile(load("docs/policytest.schema.json"));

describe("policy test schema", () => {
  test.each(["examples/sgx.policytest.json", "examples/tpm.policytest.json", "examples/evidence/sgx-evidence.policytest.json"])("%s is valid", (f) => {
    expect(validate(load(f)), JSON.stringify(validate.errors)).toBe(true);
  });
  test("the example in docs/evaluation.md is valid", () => {
    const doc = readFileSync(path.join(root, "docs/evaluation.md"), "utf8");
    const block = /## Policy tests[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    expect(validate(JSON.parse(block as string)), JSON.stringify(validate.errors)).toBe(true);
  });
  test("malformed files are rejected", () => {
    for (const bad of [
      { cases: [] },
      { policy: "p", cases: [{ name: "x", claims: [], expect: {} }] },
      { policy: "p", cases: [{ name: "x", expect: { decision: "permit" } }] },
      { policy: "p", cases: [{ name: "x", claims: [], claimsFile: "c.json", expect: { decision: "permit" } }] },
      { policy: "p", cases: [{ name: "x", claims: [], expect: { decision: "allow" } }] },
      { policy: "p", cases: [{ name: "x", claims: [], evidence: "q.bin", expect: { decision: "permit" } }] },
      { policy: "p", cases: [{ name: "x", evidence: { file: "q.bin", type: "Tpm" }, expect: { decision: "permit" } }] },
      { policy: "p", cases: [{ name: "x", evidence: { file: "q.bin", at: "2021-04-17T00:00:00" }, expect: { decision: "permit" } }] },
      { policy: "p", cases: [{ name: "x", evidence: { type: "SgxEnclave" }, expect: { decision: "permit" } }] },
      { policy: "p", cases: [{ name: "x", evidence: "q.bin", expect: { decision: "permit", verified: "yes" } }] },
    ]) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
