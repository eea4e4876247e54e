// `npm start`: the main job of the toolchain on the bundled examples, as a policy author's CI
// would run it: check every policy, run the policy tests, dry-run one evaluation, check the
// formatting, pack the policy as an unsigned token, print its hash, and review a change of it
// (`maa-policy diff`, failing only if it permits more). Exits non-zero when a step
// fails, naming it.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "packages", "cli", "bin", "maa-policy.mjs");

const steps = [
  ["Check every bundled policy", ["check", "examples"]],
  ["Run the policy tests", ["test", "examples"]],
  ["Dry-run the SGX policy on a typical claim set", ["eval", "examples/sgx.policy", "--claims", "examples/sgx.claims.json"]],
  ["Check the layout of the bundled policies", ["fmt", "--check", "examples"]],
  ["Pack the SGX policy as an unsigned policy token", ["pack", "examples/sgx.policy"]],
  ["Print the policy's x-ms-policy-hash", ["hash", "examples/sgx.policy"]],
  // A review gate: the next version may deny more or issue other claims, but must not permit more.
  ["Review the next SGX policy: what it changes (fails if it permits more)", ["diff", "examples/sgx.policy", "examples/sgx-next.policy", "--claims", "examples/sgx.policytest.json", "--fail-on", "permit-more", "--format", "markdown"]],
];

if (!existsSync(cli)) {
  console.error("maa-policy is not built: run `npm run build` first");
  process.exit(2);
}

let failed = 0;
for (const [title, args] of steps) {
  console.log(`\n\x1b[1m== ${title}\x1b[0m\n$ maa-policy ${args.join(" ")}`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    failed++;
    console.error(`step failed (exit ${r.status}): ${title}`);
  }
}
console.log(failed === 0 ? "\nAll steps passed." : `\n${failed} step(s) failed.`);
process.exitCode = failed === 0 ? 0 : 1;
