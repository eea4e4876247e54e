// `maa-policy check` on 100 generated policy files of 100 lines each, all rules on, timed from
// process start to exit (the built CLI is spawned, as CI would run it). Target: under 1.5 s.
// Measured in the same run for reference: a bare `node` start, the CLI on one file, and the
// unbundled tsc output of the CLI (most of its start-up is spent loading chevrotain's hundreds of
// ES modules; the shipped bundle loads one file).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./support.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// The shipped command (it runs the single-file bundle that `npm run build` makes), and, for
// reference, the unbundled tsc output.
const CLI = path.join(ROOT, "packages", "cli", "bin", "maa-policy.mjs");
const TSC_CLI = path.join(ROOT, "packages", "cli", "dist", "main.js");

// SGX-flavoured rules with every construct the checks look at; `#` is replaced by a number that
// makes each rule distinct (a generated file should not be mostly duplicate rules); `%` is the
// number of the rule before, so that a test finds the claim the previous rule added.
const AUTHZ = [
  '    [type=="x-ms-sgx-is-debuggable", value==false] && [type=="x-ms-sgx-svn", value>=#] => permit();',
  '    [type=="x-ms-sgx-mrsigner", value=="2c1a44952ae8207135c6c29b75b8c029372ee94b677e15c20bd42340f10d41a#"] => permit();',
  '    [type=="x-ms-sgx-product-id", value==#] => deny();',
  '    c:[type=="x-ms-sgx-collateral", issuer=="AttestationService"] => add(type="tcb-#", value=JmesPath(c.value, "tcbInfo.tcbLevels[?tcb.sgxtcbcomp01svn >= `#`] | length(@)"));',
  '    [type=="tcb-%", issuer=="AttestationPolicy", value!="0"] => permit();',
];
const ISSUANCE = [
  '    c:[type=="x-ms-sgx-mrsigner"] => issue(type="signer-#", value=c.value);',
  '    c:[type=="x-ms-sgx-svn", issuer=="AttestationService"] => issue(type="svn-#", value=c.value);',
  '    c1:[type=="x-ms-sgx-mrenclave"] && c2:[type=="x-ms-sgx-mrsigner"] => issue(type="identity-#", value=AppendString(c1.value, c2.value));',
  '    c:[type=="x-ms-sgx-collateral"] => issue(type="qe-#", value=JmesPath(c.value, "qeIdentity.tcbLevels[?tcbStatus == \'UpToDate\'].tcb.isvsvn | [0]"));',
  '    // an ordinary comment line #',
  '    ![type=="custom-flag-#", issuer=="AttestationPolicy"] => issue(type="custom-flag-#", value=false);',
  '    c:[type=="x-ms-sgx-is-debuggable"] => issue(type="production-#", value=NegateBool(c.value));',
];

/** A policy of exactly `lines` lines; `seed` varies the rules so that files differ. */
export function generateLintPolicy(lines, seed) {
  const out = ["version=1.2;", "configurationrules", "{", '    => issueproperty(type="x-ms-sgx-tcbidentifier", value="azuredefault");', "};", "authorizationrules", "{"];
  for (let i = 0; i < 20; i++) out.push((AUTHZ[(i + seed) % AUTHZ.length] ?? "").replaceAll("#", String(i + seed)).replaceAll("%", String(i + seed - 1)));
  out.push("};", "issuancerules", "{");
  while (out.length < lines - 1) {
    const i = out.length;
    out.push((ISSUANCE[(i + seed) % ISSUANCE.length] ?? "").replaceAll("#", String(i)));
  }
  out.push("};");
  return out.join("\n") + "\n";
}

/**
 * CPU seconds (user + system, all threads) of one spawned run, reported by a preloaded hook
 * through file descriptor 3. On a loaded machine this is steadier than wall time.
 */
function cpuSpawn(dir, args, runs) {
  const hook = path.join(dir, "cpu-hook.cjs");
  writeFileSync(hook, 'process.on("exit", () => { const u = process.cpuUsage(); require("fs").writeSync(3, String((u.user + u.system) / 1e6)); });\n');
  const times = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ["--require", hook, ...args], { encoding: "utf8", maxBuffer: 1 << 28, stdio: ["ignore", "pipe", "pipe", "pipe"] });
    times.push(Number(r.output[3]));
  }
  return median(times);
}

function timeSpawn(args, runs) {
  const times = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 28 });
    times.push((performance.now() - t0) / 1000);
  }
  return { seconds: median(times), result: last };
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "maa-lint-bench-"));
  try {
    for (let f = 0; f < 100; f++) writeFileSync(path.join(dir, `policy-${String(f).padStart(3, "0")}.policy`), generateLintPolicy(100, f));
    const runs = 5;
    const node = timeSpawn(["-e", ""], runs);
    const one = timeSpawn([CLI, "check", path.join(dir, "policy-000.policy"), "--format", "json"], runs);
    const all = timeSpawn([CLI, "check", dir, "--format", "json"], runs);
    const unbundled = timeSpawn([TSC_CLI, "check", dir, "--format", "json"], runs);
    if (unbundled.result.stdout !== all.result.stdout) throw new Error("the unbundled CLI printed a different report");
    const report = JSON.parse(all.result.stdout);
    if (report.files.length !== 100) throw new Error(`expected 100 files, got ${report.files.length}`);
    const diagnostics = report.files.reduce((n, f) => n + f.diagnostics.length, 0);
    console.log(`bare node start: ${node.seconds.toFixed(3)} s (median of ${runs})`);
    console.log(`maa-policy check, 1 file of 100 lines: ${one.seconds.toFixed(3)} s`);
    console.log(`maa-policy check, 100 files of 100 lines, all rules on: ${all.seconds.toFixed(3)} s (${diagnostics} diagnostics; target: under 1.5 s)`);
    console.log(`  of which start-up (one-file run): ${((one.seconds / all.seconds) * 100).toFixed(0)}%; per extra file: ${(((all.seconds - one.seconds) / 99) * 1000).toFixed(1)} ms`);
    console.log(`same, unbundled tsc output: ${unbundled.seconds.toFixed(3)} s (the shipped bundle is ${(unbundled.seconds / all.seconds).toFixed(1)}x faster)`);
    const cpuNode = cpuSpawn(dir, ["-e", ""], runs);
    const cpuAll = cpuSpawn(dir, [CLI, "check", dir, "--format", "json"], runs);
    const cpuUnbundled = cpuSpawn(dir, [TSC_CLI, "check", dir, "--format", "json"], runs);
    console.log(`CPU time (user+system, all threads): bare node ${cpuNode.toFixed(3)} s, check 100 files ${cpuAll.toFixed(3)} s, unbundled ${cpuUnbundled.toFixed(3)} s`);
    console.log(`load average during the run: ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} on ${os.cpus().length} cores (wall times grow with it)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
