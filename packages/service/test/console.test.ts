/**
 * The web pages of `maa-policy serve` (routes/console.ts): the console at `/`, the playground at
 * `/playground/`, their scripts, `GET /_console/attestations` (the last attestations, Reader) and
 * `GET /_console/attestations/{id}` (one with its evaluation trace, bounded).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_SGX_POLICY, STRING_CHARS, TRACE_BYTES, type RunningService } from "@maa-policy/service";
import { V, call, start } from "./support/service.js";

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const ROOT = join(import.meta.dirname, "..", "..", "..");
const DIST = join(ROOT, "packages", "playground", "dist");

let s: RunningService;
let reader: string;
beforeAll(async () => {
  if (!existsSync(join(DIST, "app.js"))) {
    const b = spawnSync(process.execPath, [join(ROOT, "packages", "playground", "build.mjs")], { encoding: "utf8" });
    if (b.status !== 0) throw new Error(`build:playground failed: ${b.stderr}`);
  }
  s = await start({ now: new Date("2022-05-31T22:50:28Z") });
  reader = await s.mintToken("Reader");
});
afterAll(async () => {
  await s?.close();
});

describe("the console and the playground served", () => {
  it("serves the console at / and the playground at /playground/, as built", async () => {
    const root = await call(s, "GET", "/");
    expect(root.status).toBe(200);
    expect(root.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(root.text).toBe(readFileSync(join(DIST, "console.html"), "utf8"));
    for (const path of ["/playground", "/playground/", "/playground/index.html"]) {
      const r = await call(s, "GET", path);
      expect(r.status, path).toBe(200);
      expect(r.text, path).toBe(readFileSync(join(DIST, "index.html"), "utf8"));
    }
    const js = await call(s, "GET", "/playground/app.js");
    expect(js.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(js.text.length).toBe(readFileSync(join(DIST, "app.js"), "utf8").length);
    expect((await call(s, "GET", "/app.css")).headers["content-type"]).toBe("text/css; charset=utf-8");
    expect((await call(s, "GET", "/console.js")).status).toBe(200);
  });

  it("keeps the data-plane routes and the service's 404 for anything else", async () => {
    const r = await call(s, "GET", "/playground/nothing.js");
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe("NotFound");
    expect((await call(s, "GET", "/aad/certs")).status).toBe(200);
  });

  it("lists the last attestations, newest first, for a Reader only", async () => {
    expect((await call(s, "GET", "/_console/attestations")).status).toBe(401);
    const body = readFileSync(join(ROOT, "examples", "service", "attest-sgx.json"), "utf8");
    const ok = await call(s, "POST", `/aad/attest/SgxEnclave?${V}`, { body });
    const bad = await call(s, "POST", `/aad/attest/SgxEnclave?${V}`, { body: JSON.stringify({ quote: "AAAA" }) });
    expect(bad.status).toBe(400);
    const r = await call(s, "GET", "/_console/attestations", { token: reader });
    expect(r.status).toBe(200);
    const [last, first] = r.json.value;
    expect(last).toMatchObject({ provider: "aad", type: "SgxEnclave", status: 400, claims: null, time: "2022-05-31T22:50:28.000Z" });
    expect(last.error).toMatch(/^InvalidParameter: /);
    // Refused before the policy ran: no evaluation, no trace.
    expect(last.evaluation).toBeNull();
    expect(last.id).toBe(first.id + 1);
    expect(first.evaluation).toMatchObject({ decision: "permit", draft: false, traceRules: 7, traceTruncated: false });
    // The list carries no traces; the record of one attestation does.
    expect(first.evaluation.trace).toBeUndefined();
    expect(first).toMatchObject({ provider: "aad", type: "SgxEnclave", status: ok.status, error: ok.status === 200 ? null : expect.any(String) });
    expect(ok.status).toBe(200);
    expect(first.claims["x-ms-attestation-type"]).toBe("sgx");
  });
});

/** An attest request body: the bundled SGX example, with a draft policy when given. */
function attestBody(draft?: string): string {
  const body = JSON.parse(readFileSync(join(ROOT, "examples", "service", "attest-sgx.json"), "utf8")) as Record<string, unknown>;
  return JSON.stringify(draft === undefined ? body : { ...body, draftPolicyForAttestation: draft });
}

/** Attests, then reads the feed's newest record with its trace. */
async function attestAndRead(draft?: string) {
  const r = await call(s, "POST", `/aad/attest/SgxEnclave?${V}`, { body: attestBody(draft) });
  const newest = (await call(s, "GET", "/_console/attestations", { token: reader })).json.value[0];
  const full = await call(s, "GET", `/_console/attestations/${newest.id}`, { token: reader });
  expect(full.status).toBe(200);
  return { attest: r, record: full.json, text: full.text };
}

describe("the trace of why, kept with each attestation", () => {
  it("keeps the provider policy's trace: each rule, its outcome, its position and text, the claims it issued", async () => {
    const { attest, record } = await attestAndRead();
    expect(attest.status).toBe(200);
    expect(record.status).toBe(200);
    const ev = record.evaluation;
    expect(ev.decision).toBe("permit");
    expect(ev.policyHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ev.trace).toHaveLength(7);
    // The default SGX policy (providers/types.ts), written out: one authorization rule, six issuance rules.
    const [permit, debuggable] = ev.trace;
    expect(permit).toMatchObject({ section: "authorizationrules", rule: 1, fired: true, effect: "permit", source: "=> permit();" });
    expect(permit.range.start).toEqual({ line: 0, character: DEFAULT_SGX_POLICY.indexOf("=> permit") });
    expect(debuggable).toMatchObject({
      section: "issuancerules",
      rule: 1,
      fired: true,
      effect: "issue",
      source: 'c:[type=="x-ms-sgx-is-debuggable"] => issue(type="is-debuggable", value=c.value);',
      // The bundled quote is of a debug enclave.
      produced: [{ type: "is-debuggable", value: true, valueType: "Boolean" }],
    });
    expect(debuggable.conditions[0]).toMatchObject({ holds: true, matchedCount: 1, matched: [{ type: "x-ms-sgx-is-debuggable", value: true }] });
    // Every rule's text is the policy's text at its range.
    for (const e of ev.trace) expect(DEFAULT_SGX_POLICY.slice(e.range.offsets.start, e.range.offsets.end)).toBe(e.source);
    // What the trace says was issued is what the token carries.
    const svn = ev.trace.find((e: { source: string }) => e.source.includes('"svn"'));
    expect(record.claims.svn).toBe(svn.produced[0].value);
  });

  it("keeps the trace of a denial: the rule that did not fire and the values its test compared", async () => {
    const draft = 'version=1.0; authorizationrules { c:[type=="x-ms-sgx-svn", value >= 9] => permit(); }; issuancerules { };';
    const { attest, record } = await attestAndRead(draft);
    expect(attest.status).toBe(400);
    expect(attest.json.error.code).toBe("PolicyEvaluationError");
    expect(record.status).toBe(400);
    expect(record.error).toMatch(/^PolicyEvaluationError: /);
    expect(record.evaluation).toMatchObject({ decision: "deny", draft: true, traceRules: 1, traceTruncated: false });
    const [rule] = record.evaluation.trace;
    expect(rule).toMatchObject({ section: "authorizationrules", rule: 1, fired: false, source: 'c:[type=="x-ms-sgx-svn", value >= 9] => permit();' });
    const failure = rule.conditions[0].failure;
    expect(failure).toMatchObject({ test: 1, property: "value", operator: ">=", expected: [9], candidates: 1 });
    expect(failure.compared[0]).toMatchObject({ claim: { type: "x-ms-sgx-svn" }, actual: 1 });
  });

  it("bounds the trace of one record: entries up to its byte budget, long strings cut, and says so", async () => {
    const rules = Array.from({ length: 400 }, (_, i) => `c:[type=="x-ms-sgx-mrsigner"] => issue(type="m${i}", value=c.value);`).join("\n");
    const long = "x".repeat(5 * STRING_CHARS);
    const draft = `version=1.0; authorizationrules { => permit(); }; issuancerules { => issue(type="long", value="${long}");\n${rules} };`;
    const { attest, record, text } = await attestAndRead(draft);
    expect(attest.status).toBe(200);
    const ev = record.evaluation;
    expect(ev.traceRules).toBe(402);
    expect(ev.traceTruncated).toBe(true);
    expect(ev.trace.length).toBeGreaterThan(10);
    expect(ev.trace.length).toBeLessThan(402);
    // The entries kept fit the budget; the whole record is small next to the trace it came from.
    expect(ev.trace.reduce((n: number, e: unknown) => n + JSON.stringify(e).length, 0)).toBeLessThanOrEqual(TRACE_BYTES);
    // The record: the trace and the claims, each within the budget (402 claims fit it), and little else.
    expect(record.claimsOmitted).toBe(0);
    expect(Object.keys(record.claims)).toContain("m399");
    expect(text.length).toBeLessThan(2 * TRACE_BYTES + 4096);
    // The kept entries are the first ones, in order.
    expect(ev.trace.map((e: { rule: number; section: string }) => `${e.section} ${e.rule}`).slice(0, 3)).toEqual(["authorizationrules 1", "issuancerules 1", "issuancerules 2"]);
    // A long value is cut in the trace and in the record's claims, with what was left out.
    const cut = `${"x".repeat(STRING_CHARS)}… (${4 * STRING_CHARS} more characters)`;
    expect(ev.trace[1].produced[0].value).toBe(cut);
    expect(record.claims.long).toBe(cut);
    // The token itself is not cut.
    expect(JSON.parse(Buffer.from(attest.json.token.split(".")[1], "base64url").toString()).long).toBe(long);
  });

  it("answers 404 for an attestation it does not keep, and needs a Reader", async () => {
    expect((await call(s, "GET", "/_console/attestations/1")).status).toBe(401);
    for (const id of ["999999", "0", "abc", "1e3", "-1"]) {
      const r = await call(s, "GET", `/_console/attestations/${id}`, { token: reader });
      expect(r.status, id).toBe(404);
      expect(r.json.error.code).toBe("NotFound");
    }
  });
});
