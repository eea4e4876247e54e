/**
 * The claim catalogue: every claim type the attestation service parses from evidence, per
 * attestation type (LANGUAGE.md section 11). The linter, the evaluator and the language server
 * read this one table (completion, hover, type checks, did-you-mean suggestions).
 */

// CAUTION: public API
/** The attestation types of Azure Attestation. */
export const ATTESTATION_TYPES = ["SgxEnclave", "OpenEnclave", "Tpm", "VbsEnclave", "AzureGuest", "SevSnpVm", "TdxVm"] as const;

// CAUTION: public API
/** An attestation type. */
export type AttestationType = (typeof ATTESTATION_TYPES)[number];

// CAUTION: public API
/** The value type of a catalogued claim; `Json` claims hold JSON text (query them with `JmesPath`). */
export type ClaimValueType = "Boolean" | "Integer" | "String" | "Json";

// CAUTION: public API
/** What the catalogue knows about one claim type. */
export interface ClaimInfo {
  /** The claim type, exactly as the service names it (case-sensitive). */
  readonly type: string;
  /** The attestation types whose evidence yields this claim. */
  readonly attestationTypes: readonly AttestationType[];
  readonly valueType: ClaimValueType;
  /** One line, for hover and completion. */
  readonly description: string;
  /** Set when the name is a deprecated alias still honoured by the service. */
  readonly deprecated?: { readonly replacement?: string };
  /** Set for claims whose values may be tested and added but never issued (`pcrs`). */
  readonly readOnly?: boolean;
}

const SGX: readonly AttestationType[] = ["SgxEnclave", "OpenEnclave"];
const TPM_VBS: readonly AttestationType[] = ["Tpm", "VbsEnclave"];
const VBS: readonly AttestationType[] = ["VbsEnclave"];
const SNP: readonly AttestationType[] = ["SevSnpVm"];
const AZG: readonly AttestationType[] = ["AzureGuest"];
const TDX: readonly AttestationType[] = ["TdxVm"];

function c(
  type: string,
  attestationTypes: readonly AttestationType[],
  valueType: ClaimValueType,
  description: string,
  extra: { deprecated?: { replacement?: string }; readOnly?: boolean } = {},
): ClaimInfo {
  return { type, attestationTypes, valueType, description, ...extra };
}

// CAUTION: public API
/** Every catalogued claim, grouped by attestation type. */
export const CLAIMS: readonly ClaimInfo[] = [
  // SGX and Open Enclave.
  c("x-ms-sgx-is-debuggable", SGX, "Boolean", "whether the enclave has debugging enabled (never trust a debuggable enclave)"),
  c("x-ms-sgx-product-id", SGX, "Integer", "the product ID (ISV_PROD_ID) the enclave author assigned"),
  c("x-ms-sgx-svn", SGX, "Integer", "the security version number (ISV_SVN) of the enclave"),
  c("x-ms-sgx-mrsigner", SGX, "String", "hex hash of the key that signed the enclave (MRSIGNER)"),
  c("x-ms-sgx-mrenclave", SGX, "String", "hex measurement of the enclave code and data (MRENCLAVE)"),
  c("x-ms-attestation-type", ATTESTATION_TYPES, "String", "the attestation type of the evidence (`sgx`, `tpm`, `sevsnpvm` …)"),
  c("$is-debuggable", SGX, "Boolean", "deprecated name of `x-ms-sgx-is-debuggable`", { deprecated: { replacement: "x-ms-sgx-is-debuggable" } }),
  c("$product-id", SGX, "Integer", "deprecated name of `x-ms-sgx-product-id`", { deprecated: { replacement: "x-ms-sgx-product-id" } }),
  c("$svn", SGX, "Integer", "deprecated name of `x-ms-sgx-svn`", { deprecated: { replacement: "x-ms-sgx-svn" } }),
  c("$sgx-mrsigner", SGX, "String", "deprecated name of `x-ms-sgx-mrsigner`", { deprecated: { replacement: "x-ms-sgx-mrsigner" } }),
  c("$sgx-mrenclave", SGX, "String", "deprecated name of `x-ms-sgx-mrenclave`", { deprecated: { replacement: "x-ms-sgx-mrenclave" } }),
  c("$tee", SGX, "String", "deprecated name of `x-ms-attestation-type`", { deprecated: { replacement: "x-ms-attestation-type" } }),
  c("x-ms-sgx-ehd", SGX, "String", "enclave held data (base64url) sent with the quote"),
  c("x-ms-sgx-report-data", SGX, "String", "hex report data of the SGX quote"),
  c("x-ms-sgx-collateral", SGX, "Json", "the collateral (certificates, TCB info) used to validate the quote"),
  c("x-ms-sgx-config-id", SGX, "String", "hex CONFIGID of the enclave (KSS)"),
  c("x-ms-sgx-config-svn", SGX, "Integer", "the CONFIGSVN of the enclave (KSS)"),
  c("x-ms-sgx-isv-extended-product-id", SGX, "String", "hex extended product ID of the enclave (KSS)"),
  c("x-ms-sgx-isv-family-id", SGX, "String", "hex family ID of the enclave (KSS)"),

  // TPM and VBS.
  c("aikValidated", TPM_VBS, "Boolean", "whether the attestation identity key certificate was validated"),
  c("secureBootEnabled", TPM_VBS, "Boolean", "whether UEFI secure boot was on"),
  c("iommuEnabled", TPM_VBS, "Boolean", "whether the IOMMU was enabled"),
  c("bootDebuggingDisabled", TPM_VBS, "Boolean", "whether boot debugging was disabled"),
  c("notSafeMode", TPM_VBS, "Boolean", "whether Windows did not boot in safe mode"),
  c("notWinPE", TPM_VBS, "Boolean", "whether Windows did not boot in Windows PE"),
  c("vbsEnabled", TPM_VBS, "Boolean", "whether virtualization-based security was enabled"),
  c("vbsReportPresent", TPM_VBS, "Boolean", "whether a VBS enclave report was present"),
  c("aikPubHash", TPM_VBS, "String", "hash of the public attestation identity key"),
  c("tpmVersion", TPM_VBS, "Integer", "the TPM major version"),
  c("enclaveAuthorId", VBS, "String", "the VBS enclave author ID"),
  c("enclaveImageId", VBS, "String", "the VBS enclave image ID"),
  c("enclaveOwnerId", VBS, "String", "the VBS enclave owner ID"),
  c("enclaveFamilyId", VBS, "String", "the VBS enclave family ID"),
  c("enclaveSvn", VBS, "Integer", "the VBS enclave security version number"),
  c("enclavePlatformSvn", VBS, "Integer", "the VBS enclave platform security version number"),
  c("enclaveFlags", VBS, "Integer", "the VBS enclave flags (bit 0: debuggable)"),
  c("events", TPM_VBS, "Json", "the TCG boot event log, as JSON (version 1.2 policies)"),
  c("bootEvents", TPM_VBS, "Json", "the boot events, as JSON (version 1.2 policies)"),
  c("pcrs", TPM_VBS, "Json", "the PCR values, as JSON; read-only: may be tested and added, never issued", { readOnly: true }),
  c("x-ms-tpm-request-key", TPM_VBS, "Json", "the key whose attestation is requested, as JSON"),
  c("x-ms-tpm-other-keys", TPM_VBS, "Json", "other keys certified by the TPM, as JSON"),

  // SEV-SNP virtual machines.
  c("x-ms-sevsnpvm-authorkeydigest", SNP, "String", "hex digest of the author signing key"),
  c("x-ms-sevsnpvm-bootloader-svn", SNP, "Integer", "the AMD boot loader security version number"),
  c("x-ms-sevsnpvm-familyId", SNP, "String", "hex family ID of the guest"),
  c("x-ms-sevsnpvm-guestsvn", SNP, "Integer", "the guest security version number"),
  c("x-ms-sevsnpvm-hostdata", SNP, "String", "hex host data provided at launch"),
  c("x-ms-sevsnpvm-idkeydigest", SNP, "String", "hex digest of the ID signing key"),
  c("x-ms-sevsnpvm-imageId", SNP, "String", "hex image ID of the guest"),
  c("x-ms-sevsnpvm-is-debuggable", SNP, "Boolean", "whether the guest can be debugged"),
  c("x-ms-sevsnpvm-launchmeasurement", SNP, "String", "hex launch measurement of the guest"),
  c("x-ms-sevsnpvm-microcode-svn", SNP, "Integer", "the AMD microcode security version number"),
  c("x-ms-sevsnpvm-migration-allowed", SNP, "Boolean", "whether migration agent support is allowed"),
  c("x-ms-sevsnpvm-reportdata", SNP, "String", "hex report data of the SNP report"),
  c("x-ms-sevsnpvm-reportid", SNP, "String", "hex report ID of the guest"),
  c("x-ms-sevsnpvm-smt-allowed", SNP, "Boolean", "whether simultaneous multithreading is allowed"),
  c("x-ms-sevsnpvm-snpfw-svn", SNP, "Integer", "the SNP firmware security version number"),
  c("x-ms-sevsnpvm-tee-svn", SNP, "Integer", "the AMD trusted execution environment security version number"),
  c("x-ms-sevsnpvm-vmpl", SNP, "Integer", "the virtual machine privilege level that produced the report"),
  c("x-ms-compliance-status", ["SevSnpVm", "TdxVm", "AzureGuest"], "String", "the Azure compliance status (`azure-compliant-uvm`, `azure-compliant-cvm` …)"),

  // Azure guest attestation.
  c("secureboot", AZG, "Boolean", "whether secure boot was enabled"),
  c("x-ms-azurevm-attestation-protocol-ver", AZG, "String", "the guest attestation protocol version"),
  c("x-ms-azurevm-attested-pcrs", AZG, "Json", "the PCR indices that were attested, as JSON"),
  c("x-ms-azurevm-bootdebug-enabled", AZG, "Boolean", "whether boot debugging was enabled"),
  c("x-ms-azurevm-dbvalidated", AZG, "Boolean", "whether the UEFI db was validated"),
  c("x-ms-azurevm-dbxvalidated", AZG, "Boolean", "whether the UEFI dbx was validated"),
  c("x-ms-azurevm-debuggersdisabled", AZG, "Boolean", "whether debuggers were disabled"),
  c("x-ms-azurevm-default-securebootkeysvalidated", AZG, "Boolean", "whether the default secure boot keys were validated"),
  c("x-ms-azurevm-elam-enabled", AZG, "Boolean", "whether early-launch antimalware was enabled"),
  c("x-ms-azurevm-flightsigning-enabled", AZG, "Boolean", "whether flight signing was enabled"),
  c("x-ms-azurevm-hvci-policy", AZG, "Integer", "the hypervisor-protected code integrity policy"),
  c("x-ms-azurevm-hypervisordebug-enabled", AZG, "Boolean", "whether hypervisor debugging was enabled"),
  c("x-ms-azurevm-is-windows", AZG, "Boolean", "whether the guest runs Windows"),
  c("x-ms-azurevm-kerneldebug-enabled", AZG, "Boolean", "whether kernel debugging was enabled"),
  c("x-ms-azurevm-osbuild", AZG, "String", "the operating system build"),
  c("x-ms-azurevm-osdistro", AZG, "String", "the operating system distribution"),
  c("x-ms-azurevm-ostype", AZG, "String", "the operating system type"),
  c("x-ms-azurevm-osversion-major", AZG, "Integer", "the operating system major version"),
  c("x-ms-azurevm-osversion-minor", AZG, "Integer", "the operating system minor version"),
  c("x-ms-azurevm-signingdisabled", AZG, "Boolean", "whether driver signing enforcement was disabled"),
  c("x-ms-azurevm-testsigning-enabled", AZG, "Boolean", "whether test signing was enabled"),
  c("x-ms-azurevm-vmid", AZG, "String", "the virtual machine ID"),

  // TDX virtual machines.
  c("tdx_mrsignerseam", TDX, "String", "hex measurement of the TDX module signer"),
  c("tdx_mrseam", TDX, "String", "hex measurement of the TDX module"),
  c("tdx_mrtd", TDX, "String", "hex measurement of the initial trust domain contents"),
  c("tdx_rtmr0", TDX, "String", "hex runtime measurement register 0"),
  c("tdx_rtmr1", TDX, "String", "hex runtime measurement register 1"),
  c("tdx_rtmr2", TDX, "String", "hex runtime measurement register 2"),
  c("tdx_rtmr3", TDX, "String", "hex runtime measurement register 3"),
  c("tdx_mrconfigid", TDX, "String", "hex configuration ID of the trust domain"),
  c("tdx_mrowner", TDX, "String", "hex ID of the trust domain owner"),
  c("tdx_mrownerconfig", TDX, "String", "hex owner-defined configuration of the trust domain"),
  c("tdx_report_data", TDX, "String", "hex report data of the TD quote"),
  c("tdx_seam_attributes", TDX, "String", "hex attributes of the TDX module"),
  c("tdx_tee_tcb_svn", TDX, "String", "hex TCB security version numbers of the TDX module"),
  c("tdx_xfam", TDX, "String", "hex extended features allowed mask"),
  c("tdx_td_attributes", TDX, "String", "hex attributes of the trust domain"),
  c("tdx_seamsvn", TDX, "Integer", "the security version number of the TDX module"),
  c("tdx_td_attributes_debug", TDX, "Boolean", "whether the trust domain can be debugged"),
  c("attester_tcb_status", TDX, "String", "the TCB status of the attester (`UpToDate`, `OutOfDate` …)"),
];

const BY_TYPE: ReadonlyMap<string, ClaimInfo> = new Map(CLAIMS.map((info) => [info.type, info]));

// CAUTION: public API
/** The catalogue entry of a claim type (exact, case-sensitive), or undefined. */
export function findClaim(type: string): ClaimInfo | undefined {
  return BY_TYPE.get(type);
}

// CAUTION: public API
/** The claims the evidence of `attestationType` yields, in catalogue order. */
export function claimsFor(attestationType: AttestationType): readonly ClaimInfo[] {
  return CLAIMS.filter((info) => info.attestationTypes.includes(attestationType));
}

// CAUTION: public API
/** Whether `name` is an attestation type. */
export function isAttestationType(name: string): name is AttestationType {
  return (ATTESTATION_TYPES as readonly string[]).includes(name);
}
