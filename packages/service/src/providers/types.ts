/**
 * Attestation types, api-versions and default policies (SERVICE.md sections 1, 2 and 7).
 */
import { packPolicy } from "@maa-policy/core";

/** The api-versions the data-plane routes accept. */
export const API_VERSIONS = ["2020-10-01", "2022-08-01", "2025-06-01"] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

/** The attestation types with policies, canonical spelling, and the first api-version that knows each. */
export const POLICY_TYPES = {
  SgxEnclave: "2020-10-01",
  OpenEnclave: "2020-10-01",
  Tpm: "2020-10-01",
  SevSnpVm: "2022-08-01",
  TdxVm: "2025-06-01",
} as const satisfies Record<string, ApiVersion>;
export type PolicyType = keyof typeof POLICY_TYPES;

/** The types that `POST /attest/{type}` serves here (TPM's multi-leg protocol is not emulated). */
export const ATTEST_TYPES = ["SgxEnclave", "OpenEnclave", "SevSnpVm", "TdxVm"] as const satisfies readonly PolicyType[];
export type AttestType = (typeof ATTEST_TYPES)[number];

/** The canonical type for `name` (case-insensitive), or undefined. */
export function canonicalType(name: string): PolicyType | undefined {
  const lower = name.toLowerCase();
  return (Object.keys(POLICY_TYPES) as PolicyType[]).find((t) => t.toLowerCase() === lower);
}

/** Whether `type` exists at `apiVersion`. */
export function typeAvailable(type: PolicyType, apiVersion: ApiVersion): boolean {
  return API_VERSIONS.indexOf(POLICY_TYPES[type]) <= API_VERSIONS.indexOf(apiVersion);
}

/** The real default SGX and OpenEnclave policy (2022, AAD, isolated and shared instances), byte for byte. */
export const DEFAULT_SGX_POLICY =
  'version= 1.0;authorizationrules{=> permit();};issuancerules{c:[type=="x-ms-sgx-is-debuggable"] => issue(type="is-debuggable", value=c.value);c:[type=="x-ms-sgx-mrsigner"] => issue(type="sgx-mrsigner", value=c.value);c:[type=="x-ms-sgx-mrenclave"] => issue(type="sgx-mrenclave", value=c.value);c:[type=="x-ms-sgx-product-id"] => issue(type="product-id", value=c.value);c:[type=="x-ms-sgx-svn"] => issue(type="svn", value=c.value);c:[type=="x-ms-attestation-type"] => issue(type="tee", value=c.value);};';

/**
 * Ruling: SERVICE.md records no default for SevSnpVm and TdxVm; they get a permit-all policy that
 * issues nothing (the token still carries every incoming `x-ms-*` claim).
 */
export const DEFAULT_PERMIT_POLICY = "version= 1.0;authorizationrules{=> permit();};issuancerules{};";

/** The empty JWS the service shows for a type without a policy (TPM's default). */
export const EMPTY_POLICY_JWS = "eyJhbGciOiJub25lIn0..";

/** The default policy text of `type`, or undefined for none (TPM). */
export function defaultPolicyText(type: PolicyType): string | undefined {
  switch (type) {
    case "SgxEnclave":
    case "OpenEnclave":
      return DEFAULT_SGX_POLICY;
    case "SevSnpVm":
    case "TdxVm":
      return DEFAULT_PERMIT_POLICY;
    case "Tpm":
      return undefined;
  }
}

const defaultJws = new Map<PolicyType, string>();

/** The JWS `GET /policies/{type}` shows when no policy was set: the default as an `alg: none` token. */
export async function defaultPolicyJws(type: PolicyType): Promise<string> {
  const cached = defaultJws.get(type);
  if (cached) return cached;
  const text = defaultPolicyText(type);
  const jws = text === undefined ? EMPTY_POLICY_JWS : (await packPolicy(text)).token;
  defaultJws.set(type, jws);
  return jws;
}
