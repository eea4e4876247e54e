/**
 * The SevSnpVm incoming claims (EVIDENCE.md section 2.3; names and types of MAA's claim sets,
 * checked against the REST-spec evidence/token pair):
 *
 * - `x-ms-attestation-type` = `sevsnpvm`;
 * - the 17 `x-ms-sevsnpvm-*` claims from the report fields. The four SVNs come from
 *   `reported_tcb` (the TCB the VCEK is issued for), in the layout of the product: Milan/Genoa
 *   bytes 0/1/6/7, Turin bytes 1/2/3/7 (rulings in RULINGS-amd.md);
 * - `x-ms-runtime` / `x-ms-inittime`: JSON runtime / init-time data as a JSON object with its keys
 *   sorted, as MAA serializes it (the shared `../claims/runtime.ts` serialization). Binary runtime or init-time data is bound (the hash is checked)
 *   but gives no claim (ruling: MAA's SevSnpVm names none).
 *
 * The newer names seen only in a third-party explainer (`-chipid`, `-singlesocket` …) are not
 * issued (ruling): they are shown as report fields.
 */
import { diagnostic, range, type Diagnostic } from "@maa-policy/core";
import { toHex } from "../bytes.js";
import type { DataType, EvidenceClaim } from "../types.js";
import { parseJsonData, serializeJsonClaim } from "../claims/runtime.js";
import { bitOf } from "./bytes-util.js";
import type { SnpReport } from "./report.js";

/** Runtime or init-time data with how MAA is told to read it. */
export interface SnpData {
  readonly data: Uint8Array;
  readonly type: DataType;
}

const claim = (type: string, value: boolean | number | string): EvidenceClaim => ({ type, value, issuer: "AttestationService" });

/** The SevSnpVm incoming claims of a decoded report, in the token's (sorted) order. */
export function snpClaims(report: SnpReport, runtime?: SnpData, init?: SnpData): { claims: EvidenceClaim[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const tcb = report.reportedTcb;
  const claims: EvidenceClaim[] = [
    claim("x-ms-attestation-type", "sevsnpvm"),
    claim("x-ms-sevsnpvm-authorkeydigest", report.authorKeyDigest),
    claim("x-ms-sevsnpvm-bootloader-svn", tcb.bootloader),
    claim("x-ms-sevsnpvm-familyId", report.familyId),
    claim("x-ms-sevsnpvm-guestsvn", report.guestSvn),
    claim("x-ms-sevsnpvm-hostdata", toHex(report.hostData)),
    claim("x-ms-sevsnpvm-idkeydigest", report.idKeyDigest),
    claim("x-ms-sevsnpvm-imageId", report.imageId),
    claim("x-ms-sevsnpvm-is-debuggable", bitOf(report.policy, 19)),
    claim("x-ms-sevsnpvm-launchmeasurement", report.measurement),
    claim("x-ms-sevsnpvm-microcode-svn", tcb.microcode),
    claim("x-ms-sevsnpvm-migration-allowed", bitOf(report.policy, 18)),
    claim("x-ms-sevsnpvm-reportdata", toHex(report.reportData)),
    claim("x-ms-sevsnpvm-reportid", report.reportId),
    claim("x-ms-sevsnpvm-smt-allowed", bitOf(report.policy, 16)),
    claim("x-ms-sevsnpvm-snpfw-svn", tcb.snp),
    claim("x-ms-sevsnpvm-tee-svn", tcb.tee),
    claim("x-ms-sevsnpvm-vmpl", report.vmpl),
  ];
  const json = (d: SnpData | undefined, type: string, what: string) => {
    if (!d || d.type !== "JSON") return;
    const o = parseJsonData(d.data);
    if (o.value === undefined) {
      diagnostics.push(diagnostic("P5217", range(0, 0), `SevSnpVm ${what}: dataType is JSON, but the ${d.data.length} bytes are not a JSON object (${o.error ?? "unreadable"}): no \`${type}\` claim`));
      return;
    }
    claims.push(claim(type, serializeJsonClaim(o.value)));
  };
  json(runtime, "x-ms-runtime", "runtime data");
  json(init, "x-ms-inittime", "init-time data");
  return { claims, diagnostics };
}
