// Diff speed: two 100-rule policies (40 authorization rules over 20 claim types, 60 issuance
// rules), the second with five changes (two constants, one operator, one rule removed, one
// added); next to one `evaluate` of each policy on a typical claim set, and to `compile` of
// each, measured in the same run. Also the structural path: a policy against its formatted text.
// Reported: the median time of `diffPolicies`, the number of generated inputs, and the ratios.
import { compile, diffPolicies, evaluate, format } from "../packages/policy-core/dist/index.js";
import { median } from "./support.mjs";

function policy(variant) {
  const auth = [];
  for (let i = 0; i < 40; i++) {
    const t = `claim-${i % 20}`;
    if (i % 4 === 0) auth.push(`[type=="${t}", value==${variant && i === 8 ? "false" : "true"}] => deny();`);
    else if (i % 4 === 1) auth.push(`[type=="${t}", value>=${variant && i === 13 ? 4 : 3}] && [type=="claim-${(i + 1) % 20}", value!="bad-${i}"] => permit();`);
    else if (i % 4 === 2) auth.push(`[type=="${t}", value${variant && i === 18 ? "<=" : "<"}${i}, issuer=="AttestationService"] => deny();`);
    else auth.push(`[type=="${t}", value=="good-${i}"] && ![type=="revoked-${i}"] => permit();`);
  }
  if (variant) auth.splice(21, 1);
  if (variant) auth.push(`[type=="claim-7", value=="good-new"] => permit();`);
  const iss = [];
  for (let i = 0; i < 60; i++) {
    const t = `claim-${i % 20}`;
    if (i % 3 === 0) iss.push(`c:[type=="${t}"] => issue(type="out-${i}", value=c.value);`);
    else if (i % 3 === 1) iss.push(`c:[type=="${t}", value>=${i}] => issue(type="level-${i}", value="high");`);
    else iss.push(`[type=="${t}", value=="tag-${i}"] => issue(type="tag-${i}", value=true);`);
  }
  return `version=1.2;\nauthorizationrules\n{\n${auth.map((r) => "    " + r).join("\n")}\n};\nissuancerules\n{\n${iss.map((r) => "    " + r).join("\n")}\n};\n`;
}

function timeMs(fn, runs) {
  fn();
  const xs = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

const oldText = policy(false);
const newText = policy(true);
const a = compile(oldText).policy;
const b = compile(newText).policy;
if (!a || !b) throw new Error("the benchmark policies do not compile");
const rules = (p) => p.configuration.length + p.authorization.length + p.issuance.length;
const claims = [];
for (let i = 0; i < 20; i++) claims.push({ type: `claim-${i}`, value: i % 2 === 0 ? 5 : `good-${i}`, issuer: "AttestationService" });

const d = diffPolicies(oldText, newText);
if (d.status !== "different") throw new Error(`expected differences, got ${d.status}`);

const evalOld = timeMs(() => { for (let i = 0; i < 1000; i++) evaluate(a, claims); }, 15) * 1000 / 1000;
const evalNew = timeMs(() => { for (let i = 0; i < 1000; i++) evaluate(b, claims); }, 15) * 1000 / 1000;
const compileBoth = timeMs(() => { compile(oldText); compile(newText); }, 9);
const diffMs = timeMs(() => diffPolicies(oldText, newText), 7);
const formatted = format(oldText, { width: 60 }).text;
const structuralMs = timeMs(() => diffPolicies(oldText, formatted), 7);

console.log(`policies: ${rules(a)} and ${rules(b)} rules`);
console.log(`one evaluate of each (same run): old ${evalOld.toFixed(2)} µs, new ${evalNew.toFixed(2)} µs`);
console.log(`compile of both (same run): ${compileBoth.toFixed(1)} ms`);
console.log(`diff: ${diffMs.toFixed(1)} ms (${d.search?.inputs} generated inputs, ${d.search?.distinct} distinct changes; coverage old ${d.search?.coverage.old.fired}/${d.search?.coverage.old.total}, new ${d.search?.coverage.new.fired}/${d.search?.coverage.new.total})`);
console.log(`  = ${(diffMs / compileBoth).toFixed(1)}x compiling both, ${((diffMs * 1000) / (evalOld + evalNew)).toFixed(0)}x one evaluate of each`);
console.log(`diff against the formatted text (structural equivalence, no search): ${structuralMs.toFixed(1)} ms = ${(structuralMs / compileBoth).toFixed(1)}x compiling both`);
