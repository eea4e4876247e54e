/**
 * The console's feed (attest/feed.ts) on its own: the last N attestations, newest first, each with
 * its evaluation's bounded trace, and nothing kept for a request that never answered.
 */
import { compile, evaluate, type InputClaim } from "@maa-policy/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AttestationFeed, LAZY_CHARS, boundedTrace, cutJson } from "../src/attest/feed.js";

const POLICY = `version=1.0;
authorizationrules { c:[type=="svn", value >= 2] => permit(); };
issuancerules {
  c:[type=="svn"] => issue(type="svn", value=c.value);
  c:[type=="name"] => issue(type="name", value=c.value);
};`;

function run(claims: InputClaim[]) {
  const compiled = compile(POLICY);
  if (!compiled.policy) throw new Error("the test policy does not compile");
  return evaluate(compiled.policy, claims, { trace: "full" });
}

const claim = (type: string, value: string | number): InputClaim => ({ type, value, issuer: "AttestationService" });
const ok = (provider: string) => ({ provider, type: "SgxEnclave", status: 200, payload: JSON.stringify({ token: `e30.${Buffer.from(JSON.stringify({ p: provider })).toString("base64url")}.` }) });

describe("AttestationFeed", () => {
  it("keeps the last `limit` records, newest first, with increasing ids", () => {
    const feed = new AttestationFeed(3);
    for (let i = 1; i <= 5; i++) feed.record({}, new Date(Date.UTC(2024, 0, i)), ok(`p${i}`));
    const list = feed.list();
    expect(list.map((r) => [r.id, r.provider])).toEqual([
      [5, "p5"],
      [4, "p4"],
      [3, "p3"],
    ]);
    expect(list[0]).toMatchObject({ time: "2024-01-05T00:00:00.000Z", status: 200, claims: { p: "p5" }, error: null, evaluation: null });
    expect(feed.get(2)).toBeUndefined();
    expect(feed.get(4)?.provider).toBe("p4");
  });

  it("joins an evaluation to the answer of the same request only", () => {
    const feed = new AttestationFeed();
    const a = {};
    const b = {};
    const evaluation = run([claim("svn", 1)]);
    let traced = 0;
    feed.evaluated(a, evaluation.decision, () => (traced++, evaluation), POLICY, false);
    feed.record(b, new Date(0), { provider: "x", type: "SgxEnclave", status: 400, payload: '{"error":{"code":"InvalidParameter","message":"bad quote"}}' });
    feed.record(a, new Date(0), { provider: "x", type: "SgxEnclave", status: 400, payload: '{"error":{"code":"PolicyEvaluationError","message":"denied"}}' });
    // Nothing is traced until the console reads the record; then once.
    expect(traced).toBe(0);
    const [ra, rb] = [feed.get(2), feed.get(1)];
    feed.get(2);
    feed.list();
    expect(traced).toBe(1);
    expect(rb).toMatchObject({ error: "InvalidParameter: bad quote", evaluation: null, claims: null });
    expect(ra?.evaluation).toMatchObject({ decision: "deny", draft: false, traceRules: 1, traceTruncated: false });
    expect(ra?.evaluation?.trace[0]).toMatchObject({ fired: false, source: 'c:[type=="svn", value >= 2] => permit();' });
    // Recorded once: a second answer to the same request has no evaluation left to join.
    feed.record(a, new Date(0), ok("x"));
    expect(feed.get(3)?.evaluation).toBeNull();
    // The list leaves the traces out.
    expect(feed.list().find((r) => r.id === 2)?.evaluation).not.toHaveProperty("trace");
  });

  it("bounds a large request's evaluation and a large answer at once, and the same record results", () => {
    const evaluation = run([claim("svn", 3), claim("name", "n".repeat(5000))]);
    const payload = JSON.stringify({ token: `e30.${Buffer.from(JSON.stringify({ big: "b".repeat(LAZY_CHARS) })).toString("base64url")}.` });
    const records = [];
    for (const size of [100, LAZY_CHARS + 1]) {
      const feed = new AttestationFeed();
      const request = {};
      let traced = 0;
      let reads = 0;
      feed.evaluated(request, evaluation.decision, () => (traced++, evaluation), POLICY, false, size);
      // A large request is traced (and bounded) when it is handed over; a small one waits for the console.
      expect(traced).toBe(size > LAZY_CHARS ? 1 : 0);
      const response = { provider: "x", type: "SgxEnclave", status: 200, get payload() { reads++; return payload; } };
      const id = feed.record(request, new Date(0), response);
      // The answer is larger than LAZY_CHARS: its record is made at once, whatever the request's size.
      expect(reads).toBeGreaterThan(1);
      const before = reads;
      records.push(feed.get(id));
      expect(reads).toBe(before);
      expect(traced).toBe(1);
    }
    expect(records[1]).toEqual(records[0]);
    expect(records[0]?.claims?.["big"]).toMatch(/more characters\)$/);
  });

  it("cuts the issued claims to the same budget, and counts those left out", () => {
    const claims = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`c${i}`, "v".repeat(10)]));
    const payload = JSON.stringify({ token: `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.` });
    const feed = new AttestationFeed(50, 200, 5);
    const r = feed.get(feed.record({}, new Date(0), { provider: "x", type: "SgxEnclave", status: 200, payload }))!;
    // Each of the first ten is ["cN","vvvvv… (5 more characters)"]: 35 characters; 200 holds 5 of them.
    expect(JSON.stringify(["c0", "vvvvv… (5 more characters)"])).toHaveLength(35);
    expect(Object.keys(r.claims ?? {})).toEqual(["c0", "c1", "c2", "c3", "c4"]);
    expect(r.claimsOmitted).toBe(95);
    expect(r.claims?.["c0"]).toBe("vvvvv… (5 more characters)");
  });

  it("cuts the trace to its budget, entry by entry, and long strings to their length", () => {
    const result = run([claim("svn", 3), claim("name", "n".repeat(300))]);
    const whole = boundedTrace(result, POLICY, 1_000_000, 1_000_000);
    expect(whole.trace).toHaveLength(3);
    expect(whole.traceTruncated).toBe(false);
    // The feed's measure of each entry: its JSON length, plus 4 per quote in it (the bound counts any
    // escaped character as the longest escape, six characters; JSON writes a quote as two).
    const sizes = whole.trace.map((e) => JSON.stringify(e).length + 4 * (JSON.stringify(e).match(/\\"/g)?.length ?? 0));
    expect(sizes).toEqual(whole.trace.map((e) => cutJson(e, Number.POSITIVE_INFINITY).size));
    // A budget that holds exactly the first two entries.
    const two = boundedTrace(result, POLICY, sizes[0]! + sizes[1]!, 1_000_000);
    expect(two.trace).toEqual(whole.trace.slice(0, 2));
    expect(two).toMatchObject({ traceRules: 3, traceTruncated: true });
    expect(boundedTrace(result, POLICY, sizes[0]! + sizes[1]! - 1, 1_000_000).trace).toHaveLength(1);
    // Strings: the 300-character name is cut to 100 where it appears (matched and produced).
    const short = boundedTrace(result, POLICY, 1_000_000, 100);
    expect(short.traceTruncated).toBe(true);
    const name = short.trace[2]!;
    expect((name["produced"] as { value: string }[])[0]!.value).toBe(`${"n".repeat(100)}… (200 more characters)`);
    expect(JSON.stringify(short.trace)).not.toContain("n".repeat(101));
  });
});

/** Every string in a JSON value. */
function strings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v !== null && typeof v === "object") return Object.values(v).flatMap(strings);
  return [];
}

/** Every string and object key in a JSON value. */
function stringsAndKeys(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.flatMap(stringsAndKeys);
  if (v !== null && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => [k, ...stringsAndKeys(x)]);
  return [];
}

describe("AttestationFeed properties", () => {
  const claims = fc.array(
    fc.oneof(
      fc.record({ type: fc.constantFrom("svn", "name", "other"), value: fc.integer({ min: -5, max: 5 }) }),
      fc.record({ type: fc.constantFrom("svn", "name", "other"), value: fc.string({ maxLength: 3000 }) }),
    ),
    { maxLength: 30 },
  );

  it("the kept trace is the longest prefix that fits the budget, and strings are cut to their length", () => {
    fc.assert(
      fc.property(claims, fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 2000 }), (cs, budget, chars) => {
        const r = run(cs.map((c) => ({ ...c, issuer: "AttestationService" })));
        const full = boundedTrace(r, POLICY, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
        expect(full.traceTruncated).toBe(false);
        expect(full.trace).toHaveLength(full.traceRules);
        const b = boundedTrace(r, POLICY, budget, Number.POSITIVE_INFINITY);
        // Sizes are cutJson's bound of each entry's JSON (at least its JSON length: the property below).
        const bounds = full.trace.map((e) => cutJson(e, Number.POSITIVE_INFINITY).size);
        const k = b.trace.length;
        expect(b.trace).toEqual(full.trace.slice(0, k));
        expect(b.trace.reduce((n, e) => n + JSON.stringify(e).length, 0)).toBeLessThanOrEqual(budget);
        if (k < full.trace.length) expect(bounds.slice(0, k + 1).reduce((x, y) => x + y, 0)).toBeGreaterThan(budget);
        expect(b.traceTruncated).toBe(k < full.trace.length);
        const c = boundedTrace(r, POLICY, Number.POSITIVE_INFINITY, chars);
        const longest = Math.max(0, ...strings(full.trace).map((x) => x.length));
        expect(c.traceTruncated).toBe(longest > chars);
        for (const x of strings(c.trace)) expect(x.length).toBeLessThanOrEqual(chars + `… (${longest} more characters)`.length);
      }),
      { numRuns: 60 },
    );
  });

  it("cutJson measures at least the JSON length of what it returns, exactly when nothing is escaped, and cuts every string", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 1, max: 40 }), (v, max) => {
        const whole = cutJson(v, Number.POSITIVE_INFINITY);
        const json = JSON.stringify(v);
        expect(JSON.stringify(whole.value)).toBe(json);
        expect(whole.size).toBeGreaterThanOrEqual(json.length);
        if (!stringsAndKeys(v).some((x) => /["\\\u0000-\u001f\ud800-\udfff]/.test(x))) expect(whole.size).toBe(json.length);
        const c = cutJson(v, max);
        expect(c.size).toBeGreaterThanOrEqual(JSON.stringify(c.value).length);
        for (const x of strings(c.value)) expect(x.length).toBeLessThanOrEqual(max + `… (${json.length} more characters)`.length);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on any answer, and keeps at most its limit", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ status: fc.integer({ min: 100, max: 599 }), payload: fc.oneof(fc.string(), fc.json(), fc.constant('{"token":"a.b.c"}')) }), { maxLength: 20 }), (answers) => {
        const feed = new AttestationFeed(5, 500, 50);
        for (const a of answers) {
          const r = feed.get(feed.record({}, new Date(0), { provider: "p", type: "SgxEnclave", ...a }))!;
          expect(r.status < 400 ? r.error : r.claims).toBeNull();
          if (r.error !== null) expect(r.error.length).toBeLessThanOrEqual(50 + "… (N more characters)".length + 10);
        }
        expect(feed.list().length).toBe(Math.min(5, answers.length));
      }),
      { numRuns: 100 },
    );
  });
});
