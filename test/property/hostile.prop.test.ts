/**
 * Properties on hostile inputs (issue 17, item 9): long and deep queries, deep JSON, 64-bit
 * integers, big strings and JSON. Nothing throws, nothing is an internal error, and what is
 * refused is refused with a diagnostic or an error line. `HOSTILE_RUNS` cases each here;
 * `npm run bench:fuzz` runs this file with many more.
 */
import fc from "fast-check";
import { check, compile, evaluate, parseClaimsInput, unpackPolicy, verifyPolicyToken } from "@maa-policy/core";
import { describe, expect, it } from "vitest";
import { HOSTILE_RUNS, bigJsonArb, bigStringArb, deepJsonTextArb, hostileQueryArb, int64Arb } from "../support/arbitraries.js";

const opts = { numRuns: HOSTILE_RUNS };
const internal = (ds: readonly { code: string }[]) => ds.filter((d) => d.code.startsWith("P9"));
const escape = (s: string) => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/[\r\n]/g, " ");
const b64u = (s: string) => Buffer.from(s, "utf8").toString("base64url");

describe("hostile inputs", () => {
  it("check reports long and deep JMESPath queries without internal errors, in range", () => {
    fc.assert(
      fc.property(hostileQueryArb, (q) => {
        const text = `version=1.2;\nauthorizationrules\n{\n    c:[type=="x"] => add(type="y", value=JmesPath(c.value, "${escape(q)}"));\n    => permit();\n};\n`;
        const r = check(text);
        expect(internal(r.diagnostics)).toEqual([]);
        for (const d of r.diagnostics) expect(d.range.end).toBeLessThanOrEqual(text.length);
      }),
      opts,
    );
  });

  it("parseClaimsInput never throws on deep JSON, rounded integers and fractions", () => {
    fc.assert(
      fc.property(deepJsonTextArb, (text) => {
        const r = parseClaimsInput(text, "c.json");
        expect(r.errors.length + r.claims.length).toBeGreaterThan(0);
        JSON.stringify(r.claims, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
      }),
      opts,
    );
  });

  it("every input form reads big JSON the same way: a value it keeps is a claim value", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), bigJsonArb, { maxKeys: 6 }), fc.boolean(), (o, payload) => {
        const text = JSON.stringify(payload ? { "x-ms-ver": "1.0", ...o } : o);
        const r = parseClaimsInput(text, "c.json");
        for (const c of r.claims) {
          const ok = typeof c.value === "string" || typeof c.value === "boolean" || (typeof c.value === "number" && Number.isSafeInteger(c.value));
          expect(ok, JSON.stringify(c)).toBe(true);
          // A number never changes type: it is an Integer claim or it is refused.
          if (typeof o[c.type] === "number") expect(typeof c.value, JSON.stringify(c)).toBe("number");
        }
      }),
      opts,
    );
  });

  it("evaluation compares 64-bit integers exactly and never throws on big strings", () => {
    const policy = compile('version=1.2;\nauthorizationrules\n{\n    c:[type=="n"] && d:[type=="m", value<c.value] => permit();\n};\nissuancerules\n{\n    s:[type=="s"] => issue(type="t", value=AppendString(s.value, s.value));\n};\n').policy!;
    fc.assert(
      fc.property(int64Arb, int64Arb, bigStringArb, (n, m, s) => {
        const r = evaluate(policy, [
          { type: "n", value: String(n), valueType: "Integer" },
          { type: "m", value: String(m), valueType: "Integer" },
          { type: "s", value: s },
        ]);
        expect(internal(r.diagnostics)).toEqual([]);
        expect(r.decision).toBe(m < n ? "permit" : "deny");
        if (r.decision === "permit") expect(r.outgoing[0]?.value).toBe(s + s);
      }),
      opts,
    );
  });

  it("JmesPath over big JSON with hostile queries fails closed, never internally", () => {
    const policy = compile('version=1.2;\nauthorizationrules\n{\n    d:[type=="d"] && q:[type=="q"] => add(type="r", value=JmesPath(d.value, q.value));\n    => permit();\n};\n').policy!;
    fc.assert(
      fc.property(bigJsonArb, hostileQueryArb, (data, q) => {
        const r = evaluate(policy, [
          { type: "d", value: JSON.stringify(data) },
          { type: "q", value: q },
        ]);
        expect(internal(r.diagnostics)).toEqual([]);
        expect(["permit", "error"]).toContain(r.decision);
      }),
      opts,
    );
  });

  it("unpack and verify refuse deep or big token headers and payloads with a P4 code", async () => {
    await fc.assert(
      fc.asyncProperty(deepJsonTextArb, fc.boolean(), async (json, inHeader) => {
        const header = inHeader ? `{"alg":"none","x":${json}}` : '{"alg":"none"}';
        const payload = inHeader ? JSON.stringify({ AttestationPolicy: b64u("version=1.2;") }) : `{"AttestationPolicy":${json}}`;
        const token = `${b64u(header)}.${b64u(payload)}.`;
        const u = unpackPolicy(token);
        if (u.kind === "error") expect(u.code).toMatch(/^P4/);
        else JSON.stringify(u.header);
        const v = await verifyPolicyToken(token, "", { trustModel: "aad" });
        if (!v.verified) expect(v.code).toMatch(/^P4/);
      }),
      opts,
    );
  });
});
