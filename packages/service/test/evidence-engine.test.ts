/**
 * The service's providers for `@maa-policy/evidence` (attest/evidence-engine.ts): node:crypto's
 * digests and its P-256 verification change nothing. Every real Intel sample, and a copy of each
 * with a byte of its signed header flipped, gets the same appraisal as with WebCrypto's; the
 * verifier keeps the contract of `setP256Verifier` (true only for a P-256 key and a signature that
 * verifies, false for anything else, never a throw); and it is the one the appraisals use.
 */
import { generateKeyPairSync, sign } from "node:crypto";
import { appraiseEvidence, setDigestProvider, setP256Verifier, type AppraiseOptions } from "@maa-policy/evidence";
import { afterEach, describe, expect, it } from "vitest";
import { NODE_DIGEST, NODE_P256_VERIFY } from "../src/attest/evidence-engine.js";
import { INTEL_SAMPLES, fixture, type IntelSample } from "../../evidence/test/intel-support.js";

afterEach(() => {
  setDigestProvider(NODE_DIGEST);
  setP256Verifier(NODE_P256_VERIFY);
});

async function both(evidence: Uint8Array, options: AppraiseOptions) {
  setDigestProvider(undefined);
  setP256Verifier(undefined);
  const web = await appraiseEvidence(evidence, options);
  setDigestProvider(NODE_DIGEST);
  setP256Verifier(NODE_P256_VERIFY);
  const node = await appraiseEvidence(evidence, options);
  return { web, node };
}

const spki = (k: ReturnType<typeof generateKeyPairSync>["publicKey"]) => new Uint8Array(k.export({ format: "der", type: "spki" }));

describe("the service's evidence providers", () => {
  it.each(Object.entries(INTEL_SAMPLES) as [IntelSample, { type: AppraiseOptions["type"]; at: string }][])("%s: the same appraisal, and the same for a tampered copy", async (file, { type, at }) => {
    const options: AppraiseOptions = { now: new Date(at), ...(type ? { type } : {}) };
    const quote = fixture(file);
    const { web, node } = await both(quote, options);
    expect(node).toEqual(web);
    // A byte of the header (signed by the attestation key) changed: refused alike.
    const bad = quote.slice();
    const at16 = file.endsWith(".oe-report.bin") ? 16 + 20 : 20;
    bad[at16] = (bad[at16] as number) ^ 0x01;
    const tampered = await both(bad, options);
    expect(tampered.node).toEqual(tampered.web);
    expect(tampered.node.verified).toBe(false);
  });

  it("verifies only a P-256 key's good signature, and says false to anything else without throwing", async () => {
    const p256 = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" });
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const data = new TextEncoder().encode("the signed bytes");
    const sig = new Uint8Array(sign("sha256", data, { key: p256.privateKey, dsaEncoding: "ieee-p1363" }));
    expect(await NODE_P256_VERIFY(spki(p256.publicKey), sig, data)).toBe(true);
    const flipped = sig.slice();
    flipped[10] = (flipped[10] as number) ^ 1;
    expect(await NODE_P256_VERIFY(spki(p256.publicKey), flipped, data)).toBe(false);
    expect(await NODE_P256_VERIFY(spki(p256.publicKey), sig, new TextEncoder().encode("other bytes"))).toBe(false);
    expect(await NODE_P256_VERIFY(spki(p256.publicKey), sig.subarray(0, 63), data)).toBe(false);
    expect(await NODE_P256_VERIFY(spki(p256.publicKey), new Uint8Array(72), data)).toBe(false);
    const sig384 = new Uint8Array(sign("sha256", data, { key: p384.privateKey, dsaEncoding: "ieee-p1363" }));
    expect(await NODE_P256_VERIFY(spki(p384.publicKey), sig384, data)).toBe(false);
    expect(await NODE_P256_VERIFY(spki(p384.publicKey), sig, data)).toBe(false);
    expect(await NODE_P256_VERIFY(spki(rsa.publicKey), sig, data)).toBe(false);
    expect(await NODE_P256_VERIFY(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]), sig, data)).toBe(false);
    expect(await NODE_P256_VERIFY(new Uint8Array(0), sig, data)).toBe(false);
    // The arguments are not changed.
    const key = spki(p256.publicKey);
    const before = [key.slice(), sig.slice(), data.slice()];
    await NODE_P256_VERIFY(key, sig, data);
    expect([key, sig, data]).toEqual(before);
  });

  it("is the verifier the appraisals use: one that says false refuses a good quote", async () => {
    const quote = fixture("sgx/azsdk-debug.sgx-quote.bin");
    const options: AppraiseOptions = { now: new Date("2021-04-17T00:00:00Z"), type: "SgxEnclave" };
    expect((await appraiseEvidence(quote, options)).verified).toBe(true);
    setP256Verifier(() => false);
    const refused = await appraiseEvidence(quote, options);
    // The quote's own signature is verified every time; the QE report's, by the PCK certificate,
    // was verified above and is kept with the certificate (caches.test.ts in the evidence package).
    expect(refused.checks.filter((c) => c.status === "failed").map((c) => c.id)).toEqual(["sgx.quote-signature"]);
  });
});
