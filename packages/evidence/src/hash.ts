/**
 * SHA-2 digests for the whole package: WebCrypto's by default (it runs everywhere, a browser
 * too). A host may provide its own, as `@peculiar/x509`'s `cryptoProvider` lets it for
 * certificates: the local service gives node:crypto's synchronous hash, because on Node a
 * WebCrypto digest is a job handed to libuv's pool, which costs the event loop more than hashing
 * a few kilobytes itself (measured in bench:service; docs/service.md). A provider must compute
 * the same digest: nothing else may differ.
 */

/** The digests the evidence formats use. */
export type DigestAlgorithm = "SHA-256" | "SHA-384";

/** Computes a digest (synchronously or not). */
export type DigestProvider = (algorithm: DigestAlgorithm, data: Uint8Array) => Uint8Array | Promise<Uint8Array>;

let provider: DigestProvider | undefined;

/** Makes `provider` compute every digest of the package from now on; `undefined` restores WebCrypto's. */
export function setDigestProvider(p: DigestProvider | undefined): void {
  provider = p;
}

/** The digest of `data` (never changes `data`). */
export async function digest(algorithm: DigestAlgorithm, data: Uint8Array): Promise<Uint8Array> {
  if (provider !== undefined) return await provider(algorithm, data);
  // WebCrypto wants exactly its bytes in an ArrayBuffer of their own.
  const own = new Uint8Array(data.length);
  own.set(data);
  return new Uint8Array(await globalThis.crypto.subtle.digest(algorithm, own));
}
