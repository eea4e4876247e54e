/**
 * The policies inside Microsoft's documented tokens (test/fixtures/jwt/vectors, copied byte for byte
 * from the shared vectors) parse as version 1.0 with no diagnostics once decoded. Decoding here is
 * done by hand, independently of the JWS module, so that the parser is tested on its own.
 */
import { readFileSync } from "node:fs";
import { parse } from "@maa-policy/core";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../support/fixtures.js";

function payloadPolicy(token: string): string {
  const payload = JSON.parse(Buffer.from(token.trim().split(".")[1] as string, "base64url").toString("utf8")) as { AttestationPolicy: string };
  const raw = payload.AttestationPolicy;
  // The GA form holds base64url text; the 2018 preview form holds the policy itself.
  return /^version/.test(raw) ? raw : Buffer.from(raw, "base64url").toString("utf8");
}

describe("documented token vectors", () => {
  for (const [jwt, expected] of [
    ["unsigned-policy.jwt", "unsigned-policy.expected.txt"],
    ["signed-policy.jwt", "signed-policy.expected.txt"],
  ] as const) {
    it(`${jwt} decodes to its policy, which parses cleanly as version 1.0`, () => {
      const text = payloadPolicy(readFileSync(fixturePath("jwt", "vectors", jwt), "utf8"));
      expect(text).toBe(readFileSync(fixturePath("jwt", "vectors", expected), "utf8"));
      const { file, diagnostics } = parse(text);
      expect(diagnostics).toEqual([]);
      expect(file.version?.value).toBe("1.0");
      expect(file.sections.map((s) => s.name)).toEqual(["authorizationrules", "issuancerules"]);
    });
  }
});
