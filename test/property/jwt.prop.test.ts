/**
 * Policy tokens, by property: `unpack(pack(p))` gives back `p` byte for byte for any UTF-8 text,
 * unsigned and signed with RSA and EC keys generated here; node:crypto (not jose) verifies every
 * signed token; flipping any character of the signature or payload is rejected.
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { packPolicy, policyHash, printPolicy, unpackPolicy, verifyPolicyToken } from "@maa-policy/core";
import { policyAstArb } from "../support/arbitraries.js";
import { b64url, flipBase64urlChar, makeSigner, nodeVerify, type TestSigner } from "../jwt/support/certs.js";

/** Any Unicode text (well-formed UTF-16), and policy-shaped texts. */
const textArb = fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), fc.string({ unit: "grapheme", maxLength: 100 }), policyAstArb.map((a) => printPolicy(a)));

let rsa: TestSigner;
let ec: TestSigner;
beforeAll(async () => {
  [rsa, ec] = await Promise.all([makeSigner({ cn: "Prop RSA" }), makeSigner({ cn: "Prop EC", type: "ec" })]);
});
const nowFor = (s: TestSigner) => new Date(Date.parse(s.cert.validFrom) + 60_000);

describe("jwt properties", () => {
  test("unsigned: exact bytes and byte-identical round trip; hash formula", async () => {
    await fc.assert(
      fc.asyncProperty(textArb, async (text) => {
        const { token } = await packPolicy(text);
        expect(token).toBe(`eyJhbGciOiJub25lIn0.${b64url(JSON.stringify({ AttestationPolicy: b64url(text) }))}.`);
        const u = unpackPolicy(token);
        expect(u.kind).toBe("policy");
        if (u.kind !== "policy") return;
        expect(u.text).toBe(text);
        expect(Buffer.from(u.text, "utf8").equals(Buffer.from(text, "utf8"))).toBe(true);
        expect(policyHash(text)).toBe(createHash("sha256").update(b64url(text)).digest("base64url"));
      }),
      { numRuns: 300 },
    );
  });

  for (const kind of ["RSA", "EC"] as const) {
    test(`signed (${kind}): round trip, verified by us and by node:crypto`, async () => {
      const signer = kind === "RSA" ? rsa : ec;
      await fc.assert(
        fc.asyncProperty(textArb, async (text) => {
          const { token } = await packPolicy(text, { key: signer.keyPem, certificates: signer.certPem });
          expect(nodeVerify(token)).toBe(true);
          const u = unpackPolicy(token);
          expect(u.kind === "policy" && u.text).toBe(text);
          const v = await verifyPolicyToken(token, signer.certPem, { trustModel: "isolated", now: nowFor(signer) });
          expect(v.verified && v.text).toBe(text);
        }),
        { numRuns: 60 },
      );
    });

    test(`signed (${kind}): flipping any character of the signature or the payload is rejected`, async () => {
      const signer = kind === "RSA" ? rsa : ec;
      await fc.assert(
        fc.asyncProperty(textArb, fc.constantFrom(1, 2), fc.nat(), async (text, part, at) => {
          const { token } = await packPolicy(text, { key: signer.keyPem, certificates: signer.certPem });
          const parts = token.split(".");
          const segment = parts[part] as string;
          parts[part] = flipBase64urlChar(segment, at % segment.length);
          const tampered = parts.join(".");
          const v = await verifyPolicyToken(tampered, signer.certPem, { trustModel: "isolated", now: nowFor(signer) });
          expect(v.verified).toBe(false);
          expect(v.verified ? "" : v.code).toMatch(/^P400[28]$/);
          const aad = await verifyPolicyToken(tampered, "", { trustModel: "aad", now: nowFor(signer) });
          expect(aad.verified).toBe(false);
        }),
        { numRuns: 100 },
      );
    });
  }
});
