/**
 * The part of `node:crypto` that policy-core's unsigned pack and policy hash use, for the browser
 * bundle (see build.mjs): `createHash("sha256")` on @noble/hashes. Signing and certificate parsing
 * are not offered in the playground; they say so.
 */
import { sha256 } from "@noble/hashes/sha2.js";

class Sha256 {
  private readonly parts: Uint8Array[] = [];
  update(data: string | Uint8Array, _encoding?: string): this {
    this.parts.push(typeof data === "string" ? new TextEncoder().encode(data) : data);
    return this;
  }
  digest(): Uint8Array {
    const h = sha256.create();
    for (const p of this.parts) h.update(p);
    return h.digest();
  }
}

export function createHash(algorithm: string): Sha256 {
  if (algorithm !== "sha256") throw new Error(`the playground hashes with sha256 only, not ${algorithm}`);
  return new Sha256();
}

function unavailable(what: string): never {
  throw new Error(`${what} is not available in the playground: sign with \`maa-policy pack --key --cert\``);
}

export class X509Certificate {
  constructor() {
    unavailable("reading certificates");
  }
}
export function createPrivateKey(): never {
  return unavailable("signing");
}
export function createPublicKey(): never {
  return unavailable("verifying signatures");
}
