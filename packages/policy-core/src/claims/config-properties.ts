/**
 * The configuration properties that `issueproperty` may set (LANGUAGE.md section 9): engine
 * settings in `configurationrules` and token properties in `issuancerules`.
 */
import type { AttestationType } from "./catalog.js";

// CAUTION: public API
/** What the toolchain knows about one configuration property. */
export interface ConfigProperty {
  readonly name: string;
  readonly valueType: "Boolean" | "Integer" | "String";
  /** The service's default, as it would be written in a policy. */
  readonly default: boolean | number | string;
  readonly description: string;
  readonly attestationTypes: readonly AttestationType[];
  /** The sections where setting it has an effect. */
  readonly sections: readonly ("configurationrules" | "issuancerules")[];
  /** For String properties with a closed set of values: the values accepted. */
  readonly allowedValues?: readonly string[];
}

// CAUTION: public API
/** Every known configuration property. */
export const CONFIG_PROPERTIES: readonly ConfigProperty[] = [
  {
    name: "x-ms-sgx-tcbidentifier",
    valueType: "String",
    default: "azuredefault",
    description: "the TCB baseline the SGX collateral is checked against (`azuredefault`, or `10` … `19`)",
    attestationTypes: ["SgxEnclave", "OpenEnclave"],
    sections: ["configurationrules"],
    allowedValues: ["azuredefault", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19"],
  },
  {
    name: "require_valid_aik_cert",
    valueType: "Boolean",
    default: true,
    description: "whether the attestation identity key certificate must be valid",
    attestationTypes: ["Tpm", "VbsEnclave"],
    sections: ["configurationrules"],
  },
  {
    name: "required_pcr_mask",
    valueType: "Integer",
    default: 0xffffff,
    description: "the PCRs that must be present in the evidence, as a bit mask (default all 24)",
    attestationTypes: ["Tpm", "VbsEnclave"],
    sections: ["configurationrules"],
  },
  {
    name: "report_validity_in_minutes",
    valueType: "Integer",
    default: 1440,
    description: "how long the issued token is valid, in minutes (at most one year)",
    attestationTypes: ["Tpm", "VbsEnclave"],
    sections: ["issuancerules"],
  },
  {
    name: "omit_x5c",
    valueType: "Boolean",
    default: false,
    description: "whether the issued token leaves out its `x5c` certificate chain",
    attestationTypes: ["Tpm", "VbsEnclave"],
    sections: ["issuancerules"],
  },
];

// CAUTION: public API
/** The known configuration property named `name`, or undefined. */
export function findConfigProperty(name: string): ConfigProperty | undefined {
  return CONFIG_PROPERTIES.find((p) => p.name === name);
}
