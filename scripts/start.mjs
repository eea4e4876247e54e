// `npm start`: the main job of the toolchain on the bundled examples, as a policy author's CI
// would run it: check every policy, run the policy tests (including cases from real evidence),
// dry-run one evaluation from a claim set and one from a real SGX quote (decoded, verified, with
// the attestation token MAA would issue), check the formatting, pack the policy as an unsigned
// token and print its hash. Exits non-zero when a step
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
  [
    "Decode and verify a real SGX quote (MAA attested it on 2020-09-29; its PCK certificate has expired since, so --at gives that time)",
    ["evidence", "examples/evidence/restspec-2020.sgx-quote.bin", "--type", "SgxEnclave", "--runtime-data", "examples/evidence/restspec-2020.runtime-data.bin", "--at", "2020-09-29T17:49:05Z"],
  ],
  [
    "Dry-run the SGX policy from that quote: the incoming claims MAA derives, the decision and the attestation token it would issue",
    ["eval", "examples/sgx.policy", "--evidence", "examples/evidence/restspec-2020.sgx-quote.bin", "--type", "SgxEnclave", "--runtime-data", "examples/evidence/restspec-2020.runtime-data.bin", "--at", "2020-09-29T17:49:05Z"],
  ],
  ["Check the layout of the bundled policies", ["fmt", "--check", "examples"]],
  ["Pack the SGX policy as an unsigned policy token", ["pack", "examples/sgx.policy"]],
  ["Print the policy's x-ms-policy-hash", ["hash", "examples/sgx.policy"]],
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
