// Attest throughput and latency of the local service (`maa-policy serve`, a separate process) over
// loopback, with the real SGX quote of the C++ SDK tests and JSON runtime data, at 1, 8 and 32
// concurrent clients (keep-alive HTTP), while another client changes the provider's policy under
// load (20,000 attest requests in all: any error fails the run). Next to it, measured in the same
// run: the bare cryptography one attest needs (one RS256 signature with a 2048-bit key plus the
// four ECDSA P-256 verifications of the quote: quote signature, QE report signature, PCK
// certificate, PCK CA certificate), single-threaded, as the upper bound of one core.
// Targets (issue 12): at least 50% of that bound, p99 under 25 ms at 8 clients, no error.
// Also, in this process: what the console's trace of why costs (issue 15). An attest evaluates the
// default SGX policy without a trace and hands the feed a way to trace it; the trace, its bounds
// and the record are made when the console reads the attestation. Measured: one attest's
// evaluation with its feed entry, next to the evaluation alone, and what one read by the console
// then costs (evaluating again with the full trace and bounding it), next to one appraisal.
import { spawn } from "node:child_process";
import { generateKeyPairSync, sign, verify, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";
import { compile, evaluate, packPolicy } from "../packages/policy-core/dist/index.js";
import { appraiseEvidence } from "../packages/evidence/dist/index.js";
import { AttestationFeed, DEFAULT_SGX_POLICY } from "../packages/service/dist/index.js";

const root = new URL("../", import.meta.url);
const inputs = JSON.parse(readFileSync(new URL("packages/service/test/fixtures/recordings/10-cpp-test-inputs.derived.json", root), "utf8"));
const ATTEST_BODY = JSON.stringify({ quote: inputs.sgxQuote_base64url, runtimeData: { data: inputs.runtimeData_base64url, dataType: "JSON" } });
// BENCH_SERVICE_SCALE (default 1) scales the request counts, for a quick look on a slow machine.
const SCALE = Number(process.env["BENCH_SERVICE_SCALE"] ?? "1");
const LEVELS = [
  { clients: 1, requests: Math.round(1500 * SCALE) },
  { clients: 8, requests: Math.round(6000 * SCALE) },
  { clients: 32, requests: Math.round(12500 * SCALE) },
];

function bareCryptoPerSecond(ms = 3000) {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const msg = randomBytes(4584);
  const sig = sign("sha256", msg, ec.privateKey);
  const body = randomBytes(1500);
  const one = () => {
    sign("sha256", body, rsa.privateKey);
    for (let i = 0; i < 4; i++) if (!verify("sha256", msg, ec.publicKey, sig)) throw new Error("verify");
  };
  for (let i = 0; i < 50; i++) one();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    one();
    n++;
  }
  return (n * 1000) / (performance.now() - t0);
}

/** Appraisals per second of the same quote by @maa-policy/evidence alone, in this process (where attest's time goes). */
async function appraisalsPerSecond(ms = 3000) {
  const quote = new Uint8Array(Buffer.from(inputs.sgxQuote_base64url, "base64url"));
  const runtimeData = new Uint8Array(Buffer.from(inputs.runtimeData_base64url, "base64url"));
  const once = () => appraiseEvidence(quote, { type: "SgxEnclave", runtimeData, runtimeDataType: "JSON", now: new Date("2022-05-31T22:50:28Z") });
  for (let i = 0; i < 10; i++) if (!(await once()).verified) throw new Error("the bench quote does not verify");
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    await once();
    n++;
  }
  return (n * 1000) / (performance.now() - t0);
}

/**
 * Per-op CPU µs (not wall time: the machine is shared) of evaluating the default SGX policy on the
 * quote's claims alone, of the same with the feed's entry (what an attest pays for the console),
 * and of the console's first read of that entry (the full trace, bounded); and of one appraisal
 * of the quote, the step that dominates attest.
 */
async function traceCost(ms = 1500) {
  const quote = new Uint8Array(Buffer.from(inputs.sgxQuote_base64url, "base64url"));
  const runtimeData = new Uint8Array(Buffer.from(inputs.runtimeData_base64url, "base64url"));
  const options = { type: "SgxEnclave", runtimeData, runtimeDataType: "JSON", now: new Date("2022-05-31T22:50:28Z") };
  const appraisal = await appraiseEvidence(quote, options);
  const policy = compile(DEFAULT_SGX_POLICY).policy;
  const feed = new AttestationFeed();
  const plain = () => evaluate(policy, appraisal.claims);
  // What the attest route does: evaluate, hand over the decision and the way to trace, keep the answer.
  const attested = () => {
    const request = {};
    const result = evaluate(policy, appraisal.claims);
    feed.evaluated(request, result.decision, () => evaluate(policy, appraisal.claims, { trace: "full" }), DEFAULT_SGX_POLICY, false);
    return feed.record(request, new Date(0), { provider: "aad", type: "SgxEnclave", status: 200, payload: "{}" });
  };
  // What the console's first read of that attestation adds.
  const read = () => feed.get(attested());
  const cpu = () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  const time = async (fn) => {
    for (let i = 0; i < 20; i++) await fn();
    let n = 0;
    const t0 = cpu();
    const w0 = performance.now();
    while (performance.now() - w0 < ms) {
      await fn();
      n++;
    }
    return (cpu() - t0) / n;
  };
  // Interleaved, the smallest of three each: other processes share the cores and the caches.
  const p = [];
  const t = [];
  const r = [];
  for (let i = 0; i < 3; i++) {
    p.push(await time(plain));
    t.push(await time(attested));
    r.push(await time(read));
  }
  const a = await time(() => appraiseEvidence(quote, options));
  return { plainUs: Math.min(...p), attestUs: Math.min(...t), readUs: Math.min(...r) - Math.min(...t), appraisalUs: a };
}

function startServer() {
  const cli = fileURLToPath(new URL("packages/cli/bin/maa-policy.mjs", root));
  const child = spawn(process.execPath, [cli, "serve", "--in-memory", "--http", "--port", "0", "--now", "2022-05-31T22:50:28Z"], { stdio: ["ignore", "pipe", "ignore"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      const t = /TOKEN=(\S+)/.exec(out);
      if (m && t) resolve({ child, url: m[1], token: t[1] });
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

function post(agent, url, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: path.includes("policies") ? "PUT" : "POST", agent, headers: { "content-type": path.includes("policies") ? "text/plain" : "application/json", "content-length": Buffer.byteLength(body), ...headers } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(", ");

async function main() {
  // The machine is shared: the load average says how far the figures can be trusted.
  const loadBefore = load();
  const bound = bareCryptoPerSecond();
  const appraisals = await appraisalsPerSecond();
  const trace = await traceCost();
  console.error(`bare cryptography: ${bound.toFixed(0)} /s; evidence appraisal alone: ${appraisals.toFixed(1)} /s; starting the service`);
  const { child, url, token } = await startServer();
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const errors = [];
  try {
    // Warm up (JIT, policy compile).
    for (let i = 0; i < 200; i++) {
      const r = await post(agent, url, "/aad/attest/SgxEnclave?api-version=2020-10-01", ATTEST_BODY);
      if (r.status !== 200) throw new Error(`warm-up attest failed: ${r.status} ${r.text}`);
    }
    const policies = await Promise.all([
      packPolicy('version=1.0; authorizationrules{ c:[type=="x-ms-sgx-is-debuggable"] => permit(); }; issuancerules{ c:[type=="x-ms-sgx-mrsigner"] => issue(type="signer", value=c.value); };'),
      packPolicy("version=1.0; authorizationrules{ => permit(); }; issuancerules{};"),
    ]);
    let changing = true;
    let policyChanges = 0;
    const changer = (async () => {
      for (let i = 0; changing; i++) {
        const r = await post(agent, url, "/aad/policies/SgxEnclave?api-version=2020-10-01", policies[i % 2].token, { authorization: `Bearer ${token}` });
        if (r.status !== 200) errors.push(`policy set: ${r.status} ${r.text.slice(0, 200)}`);
        else policyChanges++;
        await new Promise((r2) => setTimeout(r2, 20));
      }
    })();
    const rows = [];
    let total = 0;
    for (const { clients, requests } of LEVELS) {
      const latencies = [];
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (next < requests) {
            next++;
            const s = performance.now();
            const r = await post(agent, url, "/aad/attest/SgxEnclave?api-version=2020-10-01", ATTEST_BODY);
            latencies.push(performance.now() - s);
            if (r.status !== 200) errors.push(`attest: ${r.status} ${r.text.slice(0, 200)}`);
          }
        }),
      );
      const secs = (performance.now() - t0) / 1000;
      latencies.sort((a, b) => a - b);
      total += latencies.length;
      console.error(`  ${clients} client(s): ${latencies.length} requests in ${secs.toFixed(1)} s`);
      rows.push({ clients, requests: latencies.length, perSecond: latencies.length / secs, p50: percentile(latencies, 50), p99: percentile(latencies, 99) });
    }
    changing = false;
    await changer;
    console.log(`bare cryptography of one attest (1 RS256 sign + 4 ECDSA P-256 verifies), one core: ${bound.toFixed(0)} /s`);
    console.log(`@maa-policy/evidence appraisal of the same quote alone, one core: ${appraisals.toFixed(1)} /s (${((100 * appraisals) / bound).toFixed(0)}% of the bound)`);
    console.log(
      `the console's trace (CPU): per attest, evaluate + feed entry ${trace.attestUs.toFixed(1)} µs vs evaluate alone ${trace.plainUs.toFixed(1)} µs ` +
        `(added ${(trace.attestUs - trace.plainUs).toFixed(1)} µs = ${((100 * (trace.attestUs - trace.plainUs)) / trace.appraisalUs).toFixed(1)}% of one appraisal, ${trace.appraisalUs.toFixed(0)} µs CPU); ` +
        `the console's first read of one attestation (full trace, bounded) ${trace.readUs.toFixed(1)} µs`,
    );
    console.log("clients  requests  attest/s  of bound    p50 ms   p99 ms");
    for (const r of rows) {
      console.log(
        `${String(r.clients).padStart(7)}  ${String(r.requests).padStart(8)}  ${r.perSecond.toFixed(0).padStart(8)}  ${((100 * r.perSecond) / bound).toFixed(0).padStart(7)}%  ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)}`,
      );
    }
    console.log(`${total} attest requests, ${policyChanges} policy changes under load, ${errors.length} errors`);
    console.log(`load average (1, 5, 15 min) at the start: ${loadBefore}; at the end: ${load()}`);
    const at8 = rows.find((r) => r.clients === 8);
    console.log(`targets: >= 50% of bound (best ${((100 * Math.max(...rows.map((r) => r.perSecond))) / bound).toFixed(0)}%), p99 < 25 ms at 8 clients (${at8.p99.toFixed(2)} ms), no error (${errors.length})`);
    if (errors.length > 0) {
      console.log(errors.slice(0, 5).join("\n"));
      process.exitCode = 1;
    }
  } finally {
    agent.destroy();
    child.kill("SIGTERM");
  }
}

await main();
