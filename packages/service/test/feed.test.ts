/**
 * The console's feed (attest/feed.ts) on its own: the last N attestations, newest first, each with
 * its evaluation's bounded trace, and nothing kept for a request that never answered.
 */
import { compile, evaluate, type InputClaim } from "@maa-policy/core";
import { describe, expect, it } from "vitest";
import { AttestationFeed, boundedTrace } from "../src/attest/feed.js";

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
    feed.evaluated(a, run([claim("svn", 1)]), POLICY, false);
    feed.record(b, new Date(0), { provider: "x", type: "SgxEnclave", status: 400, payload: '{"error":{"code":"InvalidParameter","message":"bad quote"}}' });
    feed.record(a, new Date(0), { provider: "x", type: "SgxEnclave", status: 400, payload: '{"error":{"code":"PolicyEvaluationError","message":"denied"}}' });
    const [ra, rb] = [feed.get(2), feed.get(1)];
    expect(rb).toMatchObject({ error: "InvalidParameter: bad quote", evaluation: null, claims: null });
    expect(ra?.evaluation).toMatchObject({ decision: "deny", draft: false, traceRules: 1, traceTruncated: false });
    expect(ra?.evaluation?.trace[0]).toMatchObject({ fired: false, source: 'c:[type=="svn", value >= 2] => permit();' });
    // Recorded once: a second answer to the same request has no evaluation left to join.
    feed.record(a, new Date(0), ok("x"));
    expect(feed.get(3)?.evaluation).toBeNull();
    // The list leaves the traces out.
    expect(feed.list().find((r) => r.id === 2)?.evaluation).not.toHaveProperty("trace");
  });

  it("cuts the issued claims to the same budget, and counts those left out", () => {
    const claims = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`c${i}`, "v".repeat(10)]));
    const payload = JSON.stringify({ token: `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.` });
    const feed = new AttestationFeed(50, 200, 5);
    const r = feed.record({}, new Date(0), { provider: "x", type: "SgxEnclave", status: 200, payload });
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
    const sizes = whole.trace.map((e) => JSON.stringify(e).length);
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
