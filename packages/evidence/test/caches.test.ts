/**
 * The caches of repeated work (imported attestation keys by their bytes, policy hashes by text)
 * are invisible: a cached key still refuses a changed signature, a key that cannot be imported is
 * refused every time without poisoning the cache, a certificate's verified signature is refused
 * over any other bytes and by another certificate, and a policy hash is SHA-256 of its own text
 * whatever was hashed before (the hash computed here independently).
 */
import { createHash, generateKeyPairSync, sign } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { verifyP256Raw, verifyWithCertificate } from "../src/intel/verify.js";
import { readCertificate } from "../src/intel/x509.js";
import { policyHashOf, setP256Verifier } from "../src/index.js";
import { makePki } from "./intel-support.js";

const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const jwk = ec.publicKey.export({ format: "jwk" }) as { x: string; y: string };
const xy = new Uint8Array([...Buffer.from(jwk.x, "base64url"), ...Buffer.from(jwk.y, "base64url")]);
const data = new TextEncoder().encode("signed bytes");
const signature = new Uint8Array(sign("sha256", data, { key: ec.privateKey, dsaEncoding: "ieee-p1363" }));

describe("imported attestation keys", () => {
  it("a cached key verifies its signature and refuses any changed bit", async () => {
    expect(await verifyP256Raw(xy, signature, data)).toBe(true);
    await fc.assert(
      fc.asyncProperty(fc.nat(signature.length * 8 - 1), async (bit) => {
        const bad = signature.slice();
        bad[bit >> 3]! ^= 1 << (bit & 7);
        expect(await verifyP256Raw(xy, bad, data)).toBe(false);
      }),
      { numRuns: 40 },
    );
    expect(await verifyP256Raw(xy, signature, data)).toBe(true);
  });

  it("a key off the curve is refused every time, and the good key still verifies", async () => {
    const off = xy.slice();
    off[63]! ^= 1;
    for (let i = 0; i < 3; i++) expect(await verifyP256Raw(off, signature, data)).toBe(false);
    expect(await verifyP256Raw(xy, signature, data)).toBe(true);
  });
});

describe("signatures by a certificate's key", () => {
  it("a verified (signature, bytes) pair is still refused over changed bytes, by another key, and with a changed signature", async () => {
    const a = await makePki();
    const b = await makePki();
    const leafA = readCertificate(a.leaf.toString("pem"))!;
    const leafB = readCertificate(b.leaf.toString("pem"))!;
    const report = crypto.getRandomValues(new Uint8Array(384));
    const sig = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, a.leafKeys.privateKey, report));
    for (let i = 0; i < 2; i++) expect(await verifyWithCertificate(leafA, sig, report)).toBe(true);
    await fc.assert(
      fc.asyncProperty(fc.nat(report.length * 8 - 1), fc.nat(sig.length * 8 - 1), async (bit, sbit) => {
        const bad = report.slice();
        bad[bit >> 3]! ^= 1 << (bit & 7);
        expect(await verifyWithCertificate(leafA, sig, bad)).toBe(false);
        const badSig = sig.slice();
        badSig[sbit >> 3]! ^= 1 << (sbit & 7);
        expect(await verifyWithCertificate(leafA, badSig, report)).toBe(false);
      }),
      { numRuns: 30 },
    );
    expect(await verifyWithCertificate(leafB, sig, report)).toBe(false);
    // The caller's bytes changed after a verification do not change what was verified.
    const mine = report.slice();
    expect(await verifyWithCertificate(leafA, sig, mine)).toBe(true);
    mine[0]! ^= 1;
    expect(await verifyWithCertificate(leafA, sig, mine)).toBe(false);
    expect(await verifyWithCertificate(leafA, sig, report)).toBe(true);
  });

  it("are verified by the host's verifier when one is set, with the certificate's key", async () => {
    const pki = await makePki();
    const leaf = readCertificate(pki.leaf.toString("pem"))!;
    const signed = async (text: string) => {
      const data = new TextEncoder().encode(text);
      return { data, sig: new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, pki.leafKeys.privateKey, data)) };
    };
    const seen: Uint8Array[] = [];
    try {
      setP256Verifier((spki) => {
        seen.push(spki);
        return false;
      });
      const one = await signed("one");
      expect(await verifyWithCertificate(leaf, one.sig, one.data)).toBe(false);
      expect(Buffer.from(seen[0]!).equals(Buffer.from(pki.leaf.publicKey.rawData))).toBe(true);
    } finally {
      setP256Verifier(undefined);
    }
    const two = await signed("two");
    expect(await verifyWithCertificate(leaf, two.sig, two.data)).toBe(true);
  });
});

describe("policy hashes", () => {
  it("are base64url(SHA-256(base64url(text))) of each text, in any order, repeated", async () => {
    const expected = (t: string) => createHash("sha256").update(Buffer.from(t, "utf8").toString("base64url")).digest("base64url");
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ maxLength: 40 }), { minLength: 1, maxLength: 8 }), async (texts) => {
        for (const t of [...texts, ...texts.reverse()]) expect(await policyHashOf(t)).toBe(expected(t));
      }),
      { numRuns: 50 },
    );
  });
});
