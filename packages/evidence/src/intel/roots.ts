/**
 * The trust anchor of Intel DCAP, as data: the public key of the Intel SGX Root CA.
 *
 * Two root certificates are in circulation with the same serial (22650cd6…) and the same key:
 * notAfter 2033-05-21 (the one in the PCK chains of older quotes, e.g. the Azure SDK test quote)
 * and notAfter 2049-12-31 (google/go-tdx-guest `verify/trusted_root.pem`, Phala dcap-qvl
 * `src/TrustedRootCA.der`). The key is pinned, not a certificate, as OpenEnclave does
 * (`common/sgx/quote.c` `_trusted_root_key_pem`).
 */

/** SubjectPublicKeyInfo (DER, hex) of the Intel SGX Root CA: P-256. */
export const INTEL_SGX_ROOT_SPKI_HEX =
  "3059301306072a8648ce3d020106082a8648ce3d030107034200040ba9c4c0c0c86193a3fe23d6b02cda10a8bbd4e88e48b4458561a36e705525f567918e2edc88e40d860bd0cc4ee26aacc988e505a953558c453f6b0904ae7394";
