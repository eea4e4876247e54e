/**
 * The incoming claims MAA gives the policy for SgxEnclave and OpenEnclave evidence (EVIDENCE.md
 * 2.2), issuer `AttestationService`, in this order: the `x-ms-sgx-*` claims of the enclave
 * report, the KSS claims when the enclave uses KSS, `x-ms-attestation-type` ("sgx" for both
 * types), `x-ms-sgx-collateral` (`quotehash`), then the legacy `$`-prefixed aliases. Runtime and
 * init-time data claims are added by the appraiser (`runtime.ts`).
 */
import { toHex } from "../bytes.js";
import { SGX_FLAG_DEBUG, SGX_FLAG_KSS, type SgxReportBody } from "../sgx/report-body.js";
import type { EvidenceClaim } from "../types.js";

const claim = (type: string, value: EvidenceClaim["value"]): EvidenceClaim => ({ type, value, issuer: "AttestationService" });

/** The claims of an SGX enclave report body; `quoteHash` is the hex SHA-256 MAA puts in `quotehash`. */
export function sgxClaims(body: SgxReportBody, quoteHash: string): EvidenceClaim[] {
  const debuggable = (body.flags & SGX_FLAG_DEBUG) !== 0n;
  const mrSigner = toHex(body.mrSigner);
  const mrEnclave = toHex(body.mrEnclave);
  const out: EvidenceClaim[] = [
    claim("x-ms-sgx-is-debuggable", debuggable),
    claim("x-ms-sgx-mrsigner", mrSigner),
    claim("x-ms-sgx-mrenclave", mrEnclave),
    claim("x-ms-sgx-product-id", body.isvProdId),
    claim("x-ms-sgx-svn", body.isvSvn),
    claim("x-ms-sgx-report-data", toHex(body.reportData)),
  ];
  if ((body.flags & SGX_FLAG_KSS) !== 0n) {
    out.push(
      claim("x-ms-sgx-config-id", toHex(body.configId)),
      claim("x-ms-sgx-config-svn", body.configSvn),
      claim("x-ms-sgx-isv-extended-product-id", toHex(body.isvExtProdId)),
      claim("x-ms-sgx-isv-family-id", toHex(body.isvFamilyId)),
    );
  }
  out.push(claim("x-ms-attestation-type", "sgx"), claim("x-ms-sgx-collateral", JSON.stringify({ quotehash: quoteHash })));
  out.push(
    claim("$is-debuggable", debuggable),
    claim("$product-id", body.isvProdId),
    claim("$sgx-mrsigner", mrSigner),
    claim("$sgx-mrenclave", mrEnclave),
    claim("$svn", body.isvSvn),
  );
  return out;
}
