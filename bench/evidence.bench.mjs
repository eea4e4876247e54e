// Evidence: the time to decode and verify one real SGX quote (the Azure SDK debug quote with its
// runtime data: layout, quote signature, QE binding, QE report signature, the PCK chain to the
// pinned Intel root, validity, runtime-data binding, claims) next to a bare `crypto.verify` of
// one ECDSA P-256 signature (the quote's own signature over its 432 signed bytes) measured in the
// same run, with node:crypto and with WebCrypto (which the package uses). Then the parsers' fuzz
// run: 10^5 random and mutated inputs (bit flips, truncations, extensions, spliced length fields
// of every real sample) through every parser and the input decoder; none may throw. And the time
// per byte of the parsers that read their whole input, at about 250 KB and 2 MB, to show parsing is linear.
import { createPublicKey, verify as nodeVerify, webcrypto } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  appraiseEvidence,
  decodeEvidenceInput,
  parseHclReport,
  parseOpenEnclaveReport,
  parseSgxQuote,
  parseSnpJsonReport,
  parseSnpReport,
  parseTdxQuote,
} from "../packages/evidence/dist/index.js";
import { median } from "./support.mjs";

const fixtures = new URL("../test/fixtures/evidence/", import.meta.url);
const read = (p) => new Uint8Array(readFileSync(new URL(p, fixtures)));

const QUOTE = read("sgx/azsdk-debug.sgx-quote.bin");
const RUNTIME = read("sgx/azsdk.runtime-data.bin");
const NOW = new Date("2021-04-17T00:37:40Z");

/** Median microseconds per call of each async function, in interleaved batches so that load from other processes affects all alike. */
async function measureInterleaved(fns, rounds = 15) {
  for (const { fn, n } of fns) for (let i = 0; i < n; i++) await fn();
  const per = fns.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [k, { fn, n }] of fns.entries()) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await fn();
      per[k].push(((performance.now() - t0) * 1000) / n);
    }
  }
  return per.map(median);
}

/** A small deterministic PRNG (xorshift32), so the fuzz run is the same every time. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const PARSERS = [
  ["parseSgxQuote", (b) => parseSgxQuote(b)],
  ["parseTdxQuote", (b) => parseTdxQuote(b)],
  ["parseOpenEnclaveReport", (b) => parseOpenEnclaveReport(b)],
  ["parseSnpReport", (b) => parseSnpReport(b)],
  ["parseSnpJsonReport", (b) => parseSnpJsonReport(b)],
  ["parseHclReport", (b) => parseHclReport(b)],
  ["decodeEvidenceInput", (b) => decodeEvidenceInput(b)],
];

const SEEDS = [
  "sgx/azsdk-debug.sgx-quote.bin",
  "sgx/azsdk-debug.oe-report.bin",
  "sgx/phala.sgx-quote.bin",
  "snp/restspec-2022.snp-report.bin",
  "snp/restspec-2022.report-field.b64url.txt",
  "snp/constellation-azure.attestation.bin",
  "tdx/go-tdx-guest.tdx_prod_quote_SPR_E4.dat",
  "tdx/go-tdx-guest.quote_v5_sample.dat",
  "tdx/constellation-azure-tdx.hclreport.bin",
  "sgx/azsdk-debug.request.sgxenclave-json.json",
].map(read);

/** One fuzz input: random bytes, or a real sample mutated (flips, truncation, extension, a spliced 32-bit length). */
function fuzzInput(next) {
  const kind = Math.floor(next() * 6);
  if (kind === 0) {
    const b = new Uint8Array(Math.floor(next() * 6000));
    for (let i = 0; i < b.length; i++) b[i] = Math.floor(next() * 256);
    return b;
  }
  const seed = SEEDS[Math.floor(next() * SEEDS.length)];
  const b = new Uint8Array(seed);
  if (kind === 1) {
    for (let k = 1 + Math.floor(next() * 8); k > 0; k--) {
      const i = Math.floor(next() * b.length);
      b[i] ^= 1 << Math.floor(next() * 8);
    }
    return b;
  }
  if (kind === 2) return b.subarray(0, Math.floor(next() * b.length));
  if (kind === 3) {
    const out = new Uint8Array(b.length + Math.floor(next() * 4096));
    out.set(b);
    for (let i = b.length; i < out.length; i++) out[i] = Math.floor(next() * 256);
    return out;
  }
  if (kind === 4) {
    // A length field set to an extreme value: 0, the maximum, or just past the end.
    const i = Math.floor(next() * Math.max(1, b.length - 4));
    const v = [0, 0xffffffff, b.length - i + 1][Math.floor(next() * 3)];
    new DataView(b.buffer, b.byteOffset).setUint32(i, v >>> 0, true);
    return b;
  }
  // Hex text of a (possibly damaged) sample: the text forms of the input decoder.
  const cut = b.subarray(0, Math.floor(next() * b.length));
  return new TextEncoder().encode(Buffer.from(cut).toString(next() < 0.5 ? "hex" : "base64url"));
}

function fuzz(runs) {
  const next = rng(0x5eed);
  let thrown = 0;
  let malformed = 0;
  let diagnostics = 0;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) {
    const input = fuzzInput(next);
    for (const [name, parse] of PARSERS) {
      try {
        const r = parse(input);
        if (!r || !Array.isArray(r.diagnostics)) malformed++;
        else diagnostics += r.diagnostics.length;
      } catch (e) {
        if (thrown++ < 5) console.error(`${name} threw on fuzz input ${i}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  return { thrown, malformed, diagnostics, ms: performance.now() - t0 };
}

/**
 * Inputs of about `size` bytes that each parser must read whole: an SGX quote (and its OE report)
 * whose certification data repeats the PCK chain, the hex text of such a quote, and an SEV-SNP
 * JSON report whose VcekCertChain repeats its chain (both decode at most 10 certificates and
 * report the rest, but still scan the whole text). The fixed-size layouts (SNP report, HCL
 * report, TDX body) read a bounded prefix and ignore what follows, so their time does not grow.
 */
function grownInputs(size) {
  const chain = SEEDS[0].subarray(1052, SEEDS[0].length - 1); // the PEM text of the quote's type-5 certification data, without its NUL
  const copies = Math.max(1, Math.floor((size - 1052) / chain.length));
  const cert = new Uint8Array(copies * chain.length + 1);
  for (let i = 0; i < copies; i++) cert.set(chain, i * chain.length);
  const quote = new Uint8Array(1052 + cert.length);
  quote.set(SEEDS[0].subarray(0, 1052));
  quote.set(cert, 1052);
  const dv = new DataView(quote.buffer);
  dv.setUint32(432, quote.length - 436, true);
  dv.setUint32(1048, cert.length, true);
  const oe = new Uint8Array(16 + quote.length);
  oe.set(SEEDS[1].subarray(0, 16));
  new DataView(oe.buffer).setUint32(8, quote.length, true);
  oe.set(quote, 16);
  const snp = JSON.parse(Buffer.from(new TextDecoder().decode(SEEDS[4]).trim(), "base64url").toString("utf8"));
  const pem = Buffer.from(snp.VcekCertChain, "base64url").toString("utf8");
  const snpJson = new TextEncoder().encode(JSON.stringify({ SnpReport: snp.SnpReport, VcekCertChain: Buffer.from(pem.repeat(Math.max(1, Math.floor(size / pem.length)))).toString("base64url") }));
  const hex = new TextEncoder().encode(Buffer.from(quote.subarray(0, Math.floor(size / 2))).toString("hex"));
  return { parseSgxQuote: quote, parseOpenEnclaveReport: oe, parseSnpJsonReport: snpJson, decodeEvidenceInput: hex };
}

/** Microseconds per KB of the parsers that read their whole input, at about 250 KB and about 2 MB (after a warm-up). */
function linearity() {
  const small = grownInputs(250_000);
  const large = grownInputs(2_000_000);
  const out = [];
  for (const [name, parse] of PARSERS) {
    if (!(name in small)) continue;
    const perKb = [small[name], large[name]].map((b) => {
      // Past 10 certificates the parsers stop decoding and say so (P5005, P5207): the time must stay linear either way.
      parse(b);
      parse(b);
      const runs = b.length > 1_000_000 ? 7 : 15;
      const times = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        parse(b);
        times.push(performance.now() - t0);
      }
      return { kb: b.length / 1000, perKb: (median(times) * 1000) / (b.length / 1000) };
    });
    out.push({ name, small: perKb[0], large: perKb[1], ratio: perKb[1].perKb / perKb[0].perKb });
  }
  return out;
}

async function main() {
  const first = await appraiseEvidence(QUOTE, { type: "SgxEnclave", runtimeData: RUNTIME, runtimeDataType: "Binary", now: NOW });
  if (!first.verified) throw new Error("the Azure SDK quote does not verify: " + first.checks.filter((c) => c.status === "failed").map((c) => c.detail).join("; "));

  // The reference: the quote's own ECDSA P-256 signature (r‖s at 436) by its attestation key (x‖y at 500) over bytes 0..432.
  const signed = QUOTE.subarray(0, 432);
  const signature = QUOTE.subarray(436, 500);
  const raw = new Uint8Array(65);
  raw[0] = 4;
  raw.set(QUOTE.subarray(500, 564), 1);
  const jwk = { kty: "EC", crv: "P-256", x: Buffer.from(raw.subarray(1, 33)).toString("base64url"), y: Buffer.from(raw.subarray(33)).toString("base64url") };
  const nodeKey = createPublicKey({ key: jwk, format: "jwk" });
  if (!nodeVerify("sha256", signed, { key: nodeKey, dsaEncoding: "ieee-p1363" }, signature)) throw new Error("the reference signature does not verify");
  const webKey = await webcrypto.subtle.importKey("raw", raw, { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
  if (!(await webcrypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, webKey, signature, signed))) throw new Error("the WebCrypto reference does not verify");

  const [appraise, bare, web] = await measureInterleaved([
    { fn: () => appraiseEvidence(QUOTE, { type: "SgxEnclave", runtimeData: RUNTIME, runtimeDataType: "Binary", now: NOW }), n: 20 },
    { fn: () => nodeVerify("sha256", signed, { key: nodeKey, dsaEncoding: "ieee-p1363" }, signature), n: 200 },
    { fn: () => webcrypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, webKey, signature, signed), n: 200 },
  ]);
  const parseOnly = median(Array.from({ length: 200 }, () => {
    const t0 = performance.now();
    parseSgxQuote(QUOTE);
    return (performance.now() - t0) * 1000;
  }));
  console.log(`decode + verify one SGX quote (appraiseEvidence, ${first.checks.length} steps): ${(appraise / 1000).toFixed(2)} ms`);
  console.log(`  reference, same run: one ECDSA P-256 crypto.verify (node:crypto) ${bare.toFixed(1)} µs, WebCrypto subtle.verify ${web.toFixed(1)} µs`);
  console.log(`  ratio: ${(appraise / bare).toFixed(1)}x one node:crypto verify, ${(appraise / web).toFixed(1)}x one WebCrypto verify (the appraisal makes 2 raw ECDSA verifies and 3 certificate signature checks)`);
  console.log(`  decode alone (parseSgxQuote): ${parseOnly.toFixed(1)} µs`);

  const RUNS = Number(process.env["EVIDENCE_FUZZ_RUNS"] ?? 100_000);
  const f = fuzz(RUNS);
  console.log(`fuzz: ${RUNS} random and mutated inputs × ${PARSERS.length} parsers in ${(f.ms / 1000).toFixed(1)} s: ${f.thrown} threw, ${f.malformed} malformed results, ${f.diagnostics} diagnostics`);

  const lin = linearity();
  for (const l of lin) {
    console.log(`linear: ${l.name.padEnd(22)} ${l.small.perKb.toFixed(2)} µs/KB at ${l.small.kb.toFixed(0)} KB, ${l.large.perKb.toFixed(2)} µs/KB at ${l.large.kb.toFixed(0)} KB (ratio ${l.ratio.toFixed(2)})`);
  }
  const worst = Math.max(...lin.map((l) => l.ratio));
  console.log(`linear: worst per-byte ratio ≈2 MB / ≈250 KB = ${worst.toFixed(2)} (1.0 is linear; quadratic would be ~8)`);
  if (f.thrown > 0 || f.malformed > 0) process.exitCode = 1;
}

await main();
