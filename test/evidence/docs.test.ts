/**
 * docs/evidence.md stays true to the code: every verification step the goldens show is
 * documented under "What is checked", every CLI evidence option is documented, and the policy
 * test case it shows is valid against docs/policytest.schema.json.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import { expect, test } from "vitest";
import { EVIDENCE_ARGS } from "../../packages/cli/src/util/evidence.js";

const root = path.resolve(import.meta.dirname, "../..");
const doc = readFileSync(path.join(root, "docs/evidence.md"), "utf8");
const checked = doc.slice(doc.indexOf("## What is checked"), doc.indexOf("## Collateral"));

test("every verification step of the goldens is documented", () => {
  const dir = path.join(import.meta.dirname, "goldens");
  const ids = new Set<string>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".json") && !f.startsWith("eval-"))) {
    for (const c of (JSON.parse(readFileSync(path.join(dir, f), "utf8")) as { checks: { id: string }[] }).checks) ids.add(c.id);
  }
  expect(ids.size).toBeGreaterThan(20);
  for (const id of ids) {
    const generic = id.replace(/^(sgx|tdx)\./, "<tee>.");
    expect(checked.includes(`\`${id}\``) || checked.includes(`\`${generic}\``), id).toBe(true);
  }
});

test("every evidence option of the command line is documented", () => {
  for (const o of Object.keys(EVIDENCE_ARGS)) expect(doc, `--${o}`).toContain(`--${o}`);
});

test("the policy test case shown is valid against the schema", () => {
  const load = (p: string) => JSON.parse(readFileSync(path.join(root, p), "utf8")) as object;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema(load("docs/claims-input.schema.json"), "claims-input.schema.json");
  const validate = ajv.compile(load("docs/policytest.schema.json"));
  const block = /### Policy tests[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1];
  expect(block).toBeDefined();
  const file = { policy: "p.policy", cases: [JSON.parse(block as string)] };
  expect(validate(file), JSON.stringify(validate.errors)).toBe(true);
});
