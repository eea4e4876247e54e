// Fuzz benchmark: random and mutated inputs for every entry point that reads user input (parse,
// check, format, evaluate, claims input, unpack, verify), seeded from the real-world corpus, the
// fixtures and hostile shapes (long and deep queries, deep JSON, doubling rules, repeated PEM
// headers…), each grown by mutations that repeat a slice of the input (the shape that exposes
// super-linear work). It fails on any throw, any internal error (P9xxx) and any input slower
// than its bound, and reports per entry point the slowest input and its ns/byte, next to the
// median ns/byte of the entry point's seeds measured in the same run.
//
// Per-input bound: max(FLOOR_MS, K × (seed median ns/byte) × size): a linear budget relative to
// the same run's reference. Times are the process's CPU time (`process.cpuUsage`, garbage
// collection threads included), not wall time: on a shared machine (2 cores, load 10-15) wall
// time counts the time the process waits for a core, and inputs of 55 characters went over a
// 100 ms bound. Each input is timed on its first run: the library caches analysed JMESPath
// queries, so a second run would hide the cost of the first. An input over its bound is timed
// twice more and judged by the smallest of the three (noise only adds time; a cached query can
// make a repeat faster, so the first figure is the one reported in the table); the floor absorbs
// garbage collection pauses.
//
// FUZZ_N (default 100000) inputs per entry point; FUZZ_SEED (default 1) seeds the generator;
// FUZZ_ONLY=check,eval runs some entry points only; FUZZ_DUMP=<dir> writes every input that
// failed (over its bound, a throw, an internal error) to <dir>/<entry>-<n>.txt. Then the hostile property suite
// (test/property/hostile.prop.test.ts) runs with FUZZ_PROPERTY_RUNS cases each (default 500;
// `npm test` runs it with 25).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  check,
  compile,
  evalResultToJson,
  evaluate,
  format,
  parse,
  parseClaimsInput,
  unpackPolicy,
  verifyPolicyToken,
} from "../packages/policy-core/dist/index.js";
import { median } from "./support.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const N = Number(process.env.FUZZ_N ?? 100_000);
const SEED = Number(process.env.FUZZ_SEED ?? 1);
const ONLY = process.env.FUZZ_ONLY ? new Set(process.env.FUZZ_ONLY.split(",")) : undefined;
const DUMP = process.env.FUZZ_DUMP;
const FLOOR_MS = 100;
const K = 100;
const MAX_SIZE = 32 * 1024;
const SLOWEST_MIN_SIZE = 2048;

// ---------------------------------------------------------------------------------------------
// A seeded generator (mulberry32): the same seed gives the same inputs.
let state = SEED >>> 0;
function rnd() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(rnd() * n);
const pick = (xs) => xs[int(xs.length)];

// ---------------------------------------------------------------------------------------------
// Seeds.
const read = (p) => readFileSync(path.join(ROOT, p), "utf8");
const files = (dir, re) =>
  readdirSync(path.join(ROOT, dir))
    .filter((f) => re.test(f))
    .sort()
    .map((f) => read(path.join(dir, f)));

const POLICIES = [...files("test/fixtures/real-world", /\.policy$/), ...files("test/fixtures/eval", /\.policy$/)];
const CLAIM_FILES = [...files("test/fixtures/real-world", /\.json$/), ...files("examples", /\.claims\.json$/)];
const SIGNERS = read("test/fixtures/jwt/vectors/trusted-signers.pem");
const TOKENS = [read("test/fixtures/jwt/vectors/signed-policy.jwt").trim(), read("test/fixtures/jwt/vectors/unsigned-policy.jwt").trim(), read("test/fixtures/jwt/vectors/policy-signer.jwt").trim()];

const b64u = (s) => Buffer.from(s).toString("base64url");
const head = "version=1.2;\nauthorizationrules\n{\n";

/** Hostile shapes, each at a moderate size (the mutations grow them). */
const HOSTILE_POLICIES = [
  // Item 1: a query whose error is at its end, after many pipes.
  `${head}    c:[type=="x"] => add(type="y", value=JmesPath(c.value, "${"a | ".repeat(1500)}a ]"));\n    => permit();\n};\n`,
  // Item 3: a query of many parts.
  `${head}    c:[type=="x"] => add(type="y", value=JmesPath(c.value, "${Array(4000).fill("a").join(".")}"));\n    => permit();\n};\n`,
  // Item 4: doubling AppendString rules.
  `${head}    => add(type="s0", value="abcdefgh");\n${Array.from({ length: 28 }, (_, i) => `    c:[type=="s${i}"] => add(type="s${i + 1}", value=AppendString(c.value, c.value));\n`).join("")}    => permit();\n};\n`,
  // Item 4: a doubling JMESPath expression.
  `${head}    => add(type="j", value=JmesPath("[1,2,3,4,5,6,7,8]", "${Array(24).fill("[@,@]").join(" | ")}"));\n    => permit();\n};\n`,
  // Comments and strings that mention keywords.
  `${head}    /* authorizationrules { issuancerules */ [type=="issuancerules"] => permit();\n};\nissuancerules\n{\n    // authorizationrules\n    => issue(type="a", value="}");\n};\n`,
  // Deeply nested calls and brackets.
  `${head}    => issue(type="a", value=${"NegateBool(".repeat(60)}true${")".repeat(60)});\n};\n`,
  `${head}    ${"[".repeat(500)}\n};\n`,
];

const deepArray = (n) => "[".repeat(n) + "]".repeat(n);
const HOSTILE_CLAIMS = [
  // Item 2: deep JSON in a claims value, in a token payload, in a claims file.
  `{"a": ${deepArray(20000)}}`,
  `{"x-ms-ver": "1.0", "a": ${deepArray(20000)}}`,
  `{"claims": [{"type": "a", "value": ${deepArray(20000)}}]}`,
  // Item 5: fractions and large integers in every form.
  `{"x-ms-ver":"1.0","x-ms-sgx-svn":1.5,"big":12345678901234567890,"neg":-1e300}`,
  `{"x-ms-sgx-svn": 1.5, "big": 123456789012345678901}`,
  `{"claims": [{"type": "x", "value": 1.5}, {"type": "y", "value": "18446744073709551616", "valueType": "Integer"}]}`,
  JSON.stringify({ header: { alg: "none" }, body: { "x-ms-ver": "1.0", n: [1, [2, [3]], { a: 1 }] } }),
];
const HOSTILE_TOKENS = [
  // Item 2: a token header nested deeply.
  `${b64u(`{"alg":"none","x":${deepArray(20000)}}`)}.${b64u(JSON.stringify({ AttestationPolicy: b64u("version=1.2;") }))}.`,
  `${b64u('{"alg":"none"}')}.${b64u(`{"AttestationPolicy":${deepArray(20000)}}`)}.`,
];
// Item 7: a signers file of repeated BEGIN lines.
const HOSTILE_PEMS = ["-----BEGIN CERTIFICATE-----\n".repeat(2000), `${SIGNERS}${"-----BEGIN CERTIFICATE-----\nAAAA\n".repeat(1000)}`];

const CLAIMS_FOR_EVAL = [
  '{"x-ms-sgx-is-debuggable": false, "x-ms-sgx-svn": 3, "x-ms-sgx-mrsigner": "abc", "x": "{\\"a\\": [1, 2, 3]}", "c": "[1,2]"}',
  '{"claims": [{"type": "x", "value": "{}"}, {"type": "s0", "value": "ab"}]}',
  ...CLAIM_FILES.slice(0, 4),
];

/** Hostile shapes by size, for the scaling table: [name, entry point, generator, n]. */
const SCALING = [
  ["query `a | a | … ]` (item 1)", "check", (n) => `${head}    c:[type=="x"] => add(type="y", value=JmesPath(c.value, "${"a | ".repeat(n)}a ]"));\n    => permit();\n};\n`, 1000],
  ["query `a.a.a…` (item 3)", "check", (n) => `${head}    c:[type=="x"] => add(type="y", value=JmesPath(c.value, "${Array(n).fill("a").join(".")}"));\n    => permit();\n};\n`, 2000],
  ["doubling AppendString (item 4)", "eval", (n) => `${head}    => add(type="s0", value="abcdefgh");\n${Array.from({ length: n }, (_, i) => `    c:[type=="s${i}"] => add(type="s${i + 1}", value=AppendString(c.value, c.value));\n`).join("")}    => permit();\n};\n`, 5],
  ["doubling JMESPath `[@,@] | …` (item 4)", "eval", (n) => `${head}    => add(type="j", value=JmesPath("[1,2,3,4,5,6,7,8]", "${Array(n).fill("[@,@]").join(" | ")}"));\n    => permit();\n};\n`, 6],
  ["deep JSON claims (item 2)", "claims", (n) => `{"a": ${deepArray(n)}}`, 2500],
  ["deep token header (item 2)", "unpack", (n) => `${b64u(`{"alg":"none","x":${deepArray(n)}}`)}.${b64u(JSON.stringify({ AttestationPolicy: b64u("version=1.2;") }))}.`, 2500],
  ["repeated BEGIN CERTIFICATE (item 7)", "verify-pem", (n) => "-----BEGIN CERTIFICATE-----\n".repeat(n), 2500],
  ["block comments naming sections (parse)", "parse", (n) => `${head}${"    /* authorizationrules */ [type==\"a\"] => permit();\n".repeat(n)}};\n`, 250],
  // Parser recovery: about a second for under 1 KB until the in-rule recovery follows were cached
  // per grammar path and recovery exceptions stopped building stack traces (syntax/parser.ts).
  ["`c:[` repeated after `=> p` (parse recovery)", "parse", (n) => `version=1.2;\nauthorizationrules { [type=="x"] => p${"c:[".repeat(n)}\n};\n`, 250],
];

// ---------------------------------------------------------------------------------------------
// Mutations.
const ALPHABET = '[]{}()";,.=>!&|`*\'\\/\n \t:@?$0123456789aAzZ-_+~\u00a0\u201c\u2028😀';
const FRAGMENTS = ["authorizationrules", "issuancerules", "=>", "/*", "*/", "//", '"', "JmesPath(", "AppendString(", "c:[", "type==", "value=", "`", "\\", "[@,@] | ", "a.", "-----BEGIN CERTIFICATE-----\n", "[[[[", "]]]]", "1.5", "12345678901234567890", "{\"a\":"];

function mutate(s) {
  const rounds = 1 + int(4);
  for (let r = 0; r < rounds; r++) {
    const at = int(s.length + 1);
    switch (int(7)) {
      case 0: // insert a character
        s = s.slice(0, at) + pick([...ALPHABET]) + s.slice(at);
        break;
      case 1: // delete a slice
        s = s.slice(0, at) + s.slice(at + 1 + int(16));
        break;
      case 2: // replace a character
        s = s.slice(0, at) + pick([...ALPHABET]) + s.slice(at + 1);
        break;
      case 3: // insert a fragment
        s = s.slice(0, at) + pick(FRAGMENTS) + s.slice(at);
        break;
      case 4: // repeat a fragment many times (long inputs)
        s = s.slice(0, at) + pick(FRAGMENTS).repeat(1 + int(400)) + s.slice(at);
        break;
      case 5: {
        // repeat a slice of the input many times (super-linear work shows here)
        const len = 1 + int(64);
        const piece = s.slice(at, at + len);
        s = s.slice(0, at) + piece.repeat(1 + int(200)) + s.slice(at);
        break;
      }
      default: // truncate
        s = s.slice(0, at);
    }
    if (s.length > MAX_SIZE) s = s.slice(0, MAX_SIZE);
  }
  return s;
}

function randomText() {
  const n = int(400);
  let s = "";
  for (let i = 0; i < n; i++) s += rnd() < 0.3 ? pick(FRAGMENTS) : pick([...ALPHABET]);
  return s;
}

/** The next input for an entry point: a seed, a mutated seed, or random text. */
function inputFrom(seeds) {
  const r = rnd();
  if (r < 0.05) return { text: pick(seeds), how: "seed" };
  if (r < 0.15) return { text: randomText(), how: "random" };
  return { text: mutate(pick(seeds)), how: "mutated" };
}

// ---------------------------------------------------------------------------------------------
// Entry points. Each returns a list of problems (internal errors); a throw is a problem too.
const internal = (diags) => diags.filter((d) => /^P9/.test(d.code) && d.code !== "P9002").map((d) => `${d.code} ${d.message}`);

const compiledCache = new Map();
function compiled(text) {
  let c = compiledCache.get(text);
  if (!c) {
    if (compiledCache.size > 200) compiledCache.clear();
    c = compile(text);
    compiledCache.set(text, c);
  }
  return c;
}

const ENTRIES = {
  parse: { seeds: [...POLICIES, ...HOSTILE_POLICIES], run: (t) => internal(parse(t).diagnostics) },
  check: { seeds: [...POLICIES, ...HOSTILE_POLICIES], run: (t) => internal(check(t).diagnostics) },
  format: { seeds: [...POLICIES, ...HOSTILE_POLICIES], run: (t) => internal(format(t).diagnostics) },
  eval: {
    // The input is a policy; it is evaluated over a claims seed (the claims are mutated in half the cases).
    seeds: [...POLICIES, ...HOSTILE_POLICIES],
    reset: () => compiledCache.clear(),
    run: (t) => {
      const c = compiled(t);
      const out = internal(c.diagnostics);
      if (!c.policy) return out;
      const claimsText = rnd() < 0.5 ? pick(CLAIMS_FOR_EVAL) : mutate(pick(CLAIMS_FOR_EVAL));
      const input = parseClaimsInput(claimsText, "claims");
      const r = evaluate(c.policy, input.claims, { trace: rnd() < 0.2 ? "full" : "off" });
      // What `maa-policy eval --format json` prints.
      JSON.stringify(evalResultToJson(r, t));
      return [...out, ...internal(r.diagnostics)];
    },
  },
  claims: {
    seeds: [...CLAIM_FILES, ...HOSTILE_CLAIMS],
    run: (t) => {
      const r = parseClaimsInput(t, "claims", { mode: rnd() < 0.2 ? "token" : "auto" });
      JSON.stringify(r.claims, (_k, v) => (typeof v === "bigint" ? String(v) : v));
      return [];
    },
  },
  unpack: {
    seeds: [...TOKENS, ...HOSTILE_TOKENS],
    run: (t) => {
      const u = unpackPolicy(t);
      if (u.kind !== "error") JSON.stringify(u.header);
      return u.kind === "error" && /^P9/.test(u.code) ? [`${u.code} ${u.message}`] : [];
    },
  },
  "verify-pem": {
    // Only for the scaling table: the signed vector verified against a hostile signers file.
    seeds: [SIGNERS],
    async: true,
    scalingOnly: true,
    run: async (pem) => {
      const r = await verifyPolicyToken(TOKENS[0], pem, { trustModel: "isolated", now: new Date("2026-01-01T00:00:00Z") });
      return !r.verified && /^P9/.test(r.code) ? [`${r.code} ${r.message}`] : [];
    },
  },
  verify: {
    // Half the inputs mutate the token, half the trusted signers PEM.
    seeds: [...TOKENS, ...HOSTILE_TOKENS],
    async: true,
    run: async (t) => {
      let token = t;
      let pem = SIGNERS;
      if (rnd() < 0.5) {
        token = pick(TOKENS);
        pem = rnd() < 0.3 ? pick(HOSTILE_PEMS) : mutate(pick([SIGNERS, ...HOSTILE_PEMS]));
      }
      const r = await verifyPolicyToken(token, pem, { trustModel: rnd() < 0.5 ? "isolated" : "aad", now: new Date("2026-01-01T00:00:00Z") });
      if (r.verified && r.header) JSON.stringify(r.header);
      return !r.verified && /^P9/.test(r.code) ? [`${r.code} ${r.message}`] : [];
    },
  },
};

// ---------------------------------------------------------------------------------------------
/** CPU time of this process in ns (user + system, all threads). */
function cpuNs() {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

async function timeOnce(entry, text) {
  const t0 = cpuNs();
  let problems;
  try {
    problems = entry.async ? await entry.run(text) : entry.run(text);
  } catch (e) {
    problems = [`threw: ${e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : String(e)}`];
  }
  return { ns: cpuNs() - t0, problems };
}

/** Over its bound on the first run: the smallest of that run and two more decides. */
async function isOverBound(entry, text, first, limit) {
  if (first <= limit) return false;
  let best = first;
  for (let rep = 0; rep < 2 && best > limit; rep++) best = Math.min(best, (await timeOnce(entry, text)).ns);
  return best > limit;
}

const show = (s) => JSON.stringify(s.length > 160 ? `${s.slice(0, 120)}…(${s.length} chars)` : s);

async function main() {
  let failed = false;
  const rows = [];
  for (const [name, entry] of Object.entries(ENTRIES)) {
    if ((ONLY && !ONLY.has(name)) || entry.scalingOnly) continue;
    // Reference: the median ns/byte of the ordinary seeds, in this run (after a warm-up).
    const ordinary = entry.seeds.filter((s) => !HOSTILE_POLICIES.includes(s) && !HOSTILE_CLAIMS.includes(s) && !HOSTILE_TOKENS.includes(s));
    for (const s of ordinary) await timeOnce(entry, s);
    const perByte = [];
    // `reset` drops what the entry point caches between inputs (eval's compiled policies), so that
    // the reference does the same work as a new input (before, eval's reference timed evaluation
    // only, and each new input, compiled too, was measured against it).
    for (let rep = 0; rep < 3; rep++)
      for (const s of ordinary) {
        entry.reset?.();
        perByte.push((await timeOnce(entry, s)).ns / Math.max(1, s.length));
      }
    const ref = median(perByte);
    const bound = (size) => Math.max(FLOOR_MS * 1e6, K * ref * size);
    let slowest = { perByte: 0, ns: 0, size: 0, how: "", text: "" };
    let slowestAbs = { ns: 0, size: 0 };
    const problems = [];
    const overBound = [];
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      const { text, how } = inputFrom(entry.seeds);
      const r = await timeOnce(entry, text);
      const over = await isOverBound(entry, text, r.ns, bound(text.length));
      if (over) overBound.push({ ns: r.ns, size: text.length, text });
      if (r.problems.length > 0 && problems.length < 5) problems.push({ text, problems: r.problems });
      if (DUMP && (over || r.problems.length > 0)) {
        mkdirSync(DUMP, { recursive: true });
        writeFileSync(path.join(DUMP, `${name}-${i}.txt`), text);
      }
      // The slowest input by ns/byte among inputs large enough for the figure to mean something.
      const pb = r.ns / Math.max(1, text.length);
      if (text.length >= SLOWEST_MIN_SIZE && pb > slowest.perByte) slowest = { perByte: pb, ns: r.ns, size: text.length, how, text };
      if (r.ns > slowestAbs.ns) slowestAbs = { ns: r.ns, size: text.length };
    }
    const seconds = (performance.now() - t0) / 1000;
    rows.push({
      entry: name,
      inputs: N,
      seconds: seconds.toFixed(1),
      "ref ns/B": ref.toFixed(0),
      "slowest ns/B": slowest.perByte.toFixed(0),
      "x ref": (slowest.perByte / ref).toFixed(1),
      "its size": slowest.size,
      "its ms": (slowest.ns / 1e6).toFixed(1),
      "max ms": (slowestAbs.ns / 1e6).toFixed(1),
      "over bound": overBound.length,
      problems: problems.length,
    });
    console.log(`${name}: slowest ${show(slowest.text)} (${slowest.how})`);
    for (const p of problems) {
      failed = true;
      console.log(`  PROBLEM on ${show(p.text)}:\n    ${p.problems.slice(0, 3).join("\n    ")}`);
    }
    for (const o of overBound.slice(0, 3)) {
      failed = true;
      console.log(`  OVER BOUND: ${(o.ns / 1e6).toFixed(1)} ms for ${o.size} chars (bound ${(bound(o.size) / 1e6).toFixed(1)} ms): ${show(o.text)}`);
    }
  }
  console.table(rows);
  // Scaling: each hostile shape at size n and 4n; a linear entry point takes about 4x the time.
  const scaling = [];
  for (const [name, entryName, gen, n] of SCALING) {
    if (ONLY && !ONLY.has(entryName)) continue;
    const entry = ENTRIES[entryName];
    // One cold run each, in CPU time (a second run of `check` would find the query analysed in its cache).
    const t = async (text) => (await timeOnce(entry, text)).ns;
    const small = gen(n);
    const large = gen(4 * n);
    const a = await t(small);
    const b = await t(large);
    scaling.push({ shape: name, entry: entryName, "size n": small.length, "ms at n": (a / 1e6).toFixed(1), "size 4n": large.length, "ms at 4n": (b / 1e6).toFixed(1), "time ratio": (b / a).toFixed(1) });
  }
  console.table(scaling);
  console.log(`bound per input: max(${FLOOR_MS} ms, ${K} × ref ns/byte × size); ${N} inputs per entry point, seed ${SEED}`);
  if (!ONLY) {
    const runs = process.env.FUZZ_PROPERTY_RUNS ?? "500";
    console.log(`\nhostile properties, ${runs} cases each:`);
    const vitest = path.join(ROOT, "node_modules", "vitest", "vitest.mjs");
    const r = spawnSync(process.execPath, [vitest, "run", "test/property/hostile.prop.test.ts", "--testTimeout=900000"], { cwd: ROOT, stdio: "inherit", env: { ...process.env, FUZZ_PROPERTY_RUNS: runs } });
    if (r.status !== 0) failed = true;
  }
  if (failed) {
    console.log("FAILED: a throw, an internal error, an input over its bound or a property (above)");
    process.exitCode = 1;
  }
}

await main();
