/**
 * The real-world corpus (/work/shared/real-world, mirrored in test/fixtures/real-world when
 * present): every policy that compiles evaluates over every real attestation token without an
 * internal error, and the documented default SGX policy issues exactly the claims the real
 * service token of 2021 shows.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { compile, evaluate, parseClaimsInput, type InputClaim } from "@maa-policy/core";
import { describe, expect, test } from "vitest";

const local = path.resolve(import.meta.dirname, "../fixtures/real-world");
const dir = existsSync(local) && readdirSync(local).some((f) => f.endsWith(".policy")) ? local : "/work/shared/real-world";
const files = readdirSync(dir);
const policies = files.filter((f) => f.endsWith(".policy")).sort();
const tokens = files.filter((f) => f.endsWith(".token.json") && !/policy|signer|get-policy/.test(f)).sort();

describe("real-world corpus", () => {
  test("is present", () => {
    expect(policies.length).toBeGreaterThan(50);
    expect(tokens.length).toBeGreaterThan(4);
  });
  const claimSets: [string, InputClaim[]][] = tokens.map((t) => {
    const r = parseClaimsInput(readFileSync(path.join(dir, t), "utf8"), t, { mode: "token" });
    return [t, r.claims];
  });
  test("every token reads as claims", () => {
    for (const [, claims] of claimSets) expect(claims.length).toBeGreaterThan(3);
  });
  test("every compiling policy evaluates over every token without an internal error", () => {
    let compiled = 0;
    for (const p of policies) {
      const { policy } = compile(readFileSync(path.join(dir, p), "utf8"));
      if (!policy) continue;
      compiled++;
      for (const [, claims] of claimSets) {
        const r = evaluate(policy, claims, { trace: "full" });
        expect(r.diagnostics.filter((d) => d.code === "P9001"), p).toEqual([]);
        expect(["permit", "deny", "error"]).toContain(r.decision);
      }
    }
    expect(compiled).toBeGreaterThan(30);
  });
  test("the 2021 service default (OpenEnclave/SGX) issues what the real SGX token shows", () => {
    const { policy } = compile(readFileSync(path.join(dir, "58-service-default-openenclave-2021.policy"), "utf8"));
    expect(policy).toBeDefined();
    const body = (JSON.parse(readFileSync(path.join(dir, "80-sgx-shared-2021.token.json"), "utf8")) as { body: Record<string, unknown> }).body;
    // The evidence claims the service parsed: the x-ms-sgx-* and x-ms-attestation-type members.
    const evidence = Object.fromEntries(Object.entries(body).filter(([k]) => k.startsWith("x-ms-sgx-") || k === "x-ms-attestation-type"));
    const input = parseClaimsInput(JSON.stringify(evidence), "evidence");
    expect(input.errors).toEqual([]);
    const r = evaluate(policy!, input.claims);
    expect(r.decision).toBe("permit");
    for (const [k, v] of Object.entries(r.token)) expect(body[k], k).toEqual(v);
    expect(Object.keys(r.token).length).toBeGreaterThanOrEqual(5);
  });
});
