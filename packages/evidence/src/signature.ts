/**
 * ECDSA P-256 / SHA-256 verification of raw (r‖s) signatures, the quote's and the QE report's
 * (the Intel formats sign with P-256): WebCrypto's by default (it runs everywhere, a browser too).
 * A host may provide its own, as it may for digests (`hash.ts`): the local service gives
 * node:crypto's synchronous verification, because on Node a WebCrypto verification is a job
 * handed to libuv's pool, which under load costs more than the verification itself (measured in
 * bench:service; docs/service.md). A provider must give the same answer: true only
 * when `spki` is an EC P-256 SubjectPublicKeyInfo and the signature verifies over `data`; false on
 * anything else (a key on another curve or not a key, a signature of the wrong size), never throw,
 * and never change its arguments.
 * Certificate chain links are verified by @peculiar/x509 (and cached with the parsed certificates).
 */

/** Verifies a raw r‖s P-256/SHA-256 signature with a DER SubjectPublicKeyInfo (synchronously or not). */
export type P256Verifier = (spki: Uint8Array, signature: Uint8Array, data: Uint8Array) => boolean | Promise<boolean>;

let verifier: P256Verifier | undefined;

/** Makes `v` verify every raw P-256 signature of the package from now on; `undefined` restores WebCrypto's. */
export function setP256Verifier(v: P256Verifier | undefined): void {
  verifier = v;
}

/** The provider set by the host, if any. */
export function p256Verifier(): P256Verifier | undefined {
  return verifier;
}

/** The DER SubjectPublicKeyInfo header of an uncompressed P-256 point (id-ecPublicKey, prime256v1, BIT STRING of 66 bytes). */
export const P256_SPKI_PREFIX = new Uint8Array([0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04]);
