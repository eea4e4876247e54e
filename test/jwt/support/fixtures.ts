/**
 * Signers shared by the jwt tests, made once per test file (keys and certificates are generated,
 * never committed).
 */
import { makeSigner, type TestSigner } from "./certs.js";

/** The signers a test file needs. */
export interface Signers {
  /** RSA-2048, the trusted signer. */
  readonly rsa: TestSigner;
  /** RSA-2048, valid but not trusted. */
  readonly stranger: TestSigner;
  /** EC P-256. */
  readonly ec: TestSigner;
}

let cached: Promise<Signers> | undefined;

/** Makes (once) the signers of this test file. */
export function signers(): Promise<Signers> {
  cached ??= (async () => {
    const [rsa, stranger, ec] = await Promise.all([makeSigner({ cn: "Policy Signer One" }), makeSigner({ cn: "Stranger" }), makeSigner({ cn: "EC Signer", type: "ec" })]);
    return { rsa, stranger, ec };
  })();
  return cached;
}
