/**
 * The Intel SGX extension of a PCK leaf certificate (OID 1.2.840.113741.1.13.1): a SEQUENCE of
 * (OID, value) pairs holding the PPID, the TCB (16 component SVNs, PCESVN, CPUSVN), the PCE ID,
 * the FMSPC (the key of the TCB info) and the SGX type. Read with asn1js (the DER library under
 * @peculiar/asn1-schema); never throws.
 */
import * as asn1js from "asn1js";
import { toHex } from "../bytes.js";
import type { Fields } from "../types.js";
import type { X509Certificate } from "./x509.js";

export const SGX_EXTENSION_OID = "1.2.840.113741.1.13.1";

/** What the SGX extension says. */
export interface PckInfo {
  readonly ppid?: string;
  /** The 16 SGX TCB component SVNs. */
  readonly tcbComponents: readonly number[];
  readonly pceSvn?: number;
  readonly cpuSvn?: string;
  readonly pceId?: string;
  readonly fmspc?: string;
  readonly sgxType?: number;
}

function bytesOf(v: asn1js.AsnType): Uint8Array | undefined {
  if (v instanceof asn1js.OctetString) return new Uint8Array(v.valueBlock.valueHexView);
  return undefined;
}

function intOf(v: asn1js.AsnType): number | undefined {
  if (v instanceof asn1js.Integer || v instanceof asn1js.Enumerated) return v.valueBlock.valueDec;
  return undefined;
}

/** The pairs of a SEQUENCE of SEQUENCE { OID, value }. */
function pairs(seq: asn1js.AsnType): [string, asn1js.AsnType][] {
  const out: [string, asn1js.AsnType][] = [];
  if (!(seq instanceof asn1js.Sequence)) return out;
  for (const item of seq.valueBlock.value) {
    if (!(item instanceof asn1js.Sequence)) continue;
    const [oid, value] = item.valueBlock.value;
    if (oid instanceof asn1js.ObjectIdentifier && value !== undefined) out.push([oid.valueBlock.toString(), value]);
  }
  return out;
}

const INFO = new WeakMap<X509Certificate, PckInfo | null>();

/** The SGX extension of a PCK certificate, or undefined when absent or unreadable. */
export function readPckInfo(cert: X509Certificate): PckInfo | undefined {
  const known = INFO.get(cert);
  if (known !== undefined) return known ?? undefined;
  const info = readPckInfoUncached(cert);
  INFO.set(cert, info ?? null);
  return info;
}

function readPckInfoUncached(cert: X509Certificate): PckInfo | undefined {
  try {
    const ext = cert.getExtension(SGX_EXTENSION_OID);
    if (ext === null) return undefined;
    const parsed = asn1js.fromBER(ext.value);
    if (parsed.offset === -1) return undefined;
    const info: { -readonly [K in keyof PckInfo]: PckInfo[K] } = { tcbComponents: [] };
    const comps: number[] = [];
    for (const [oid, value] of pairs(parsed.result)) {
      const b = bytesOf(value);
      if (oid === `${SGX_EXTENSION_OID}.1` && b) info.ppid = toHex(b);
      else if (oid === `${SGX_EXTENSION_OID}.2`) {
        for (const [tOid, tValue] of pairs(value)) {
          const n = Number(tOid.slice(`${SGX_EXTENSION_OID}.2.`.length));
          if (n >= 1 && n <= 16) comps[n - 1] = intOf(tValue) ?? 0;
          else if (n === 17) {
            const p = intOf(tValue);
            if (p !== undefined) info.pceSvn = p;
          } else if (n === 18) {
            const c = bytesOf(tValue);
            if (c) info.cpuSvn = toHex(c);
          }
        }
      } else if (oid === `${SGX_EXTENSION_OID}.3` && b) info.pceId = toHex(b);
      else if (oid === `${SGX_EXTENSION_OID}.4` && b) info.fmspc = toHex(b);
      else if (oid === `${SGX_EXTENSION_OID}.5`) {
        const t = intOf(value);
        if (t !== undefined) info.sgxType = t;
      }
    }
    info.tcbComponents = Array.from({ length: 16 }, (_, i) => comps[i] ?? 0);
    return info;
  } catch {
    return undefined;
  }
}

/** A summary of a certificate for the decoded fields. */
export function certificateFields(cert: X509Certificate): Fields {
  const out: Record<string, Fields[string]> = {
    subject: cert.subject,
    issuer: cert.issuer,
    serial_number: cert.serialNumber.toLowerCase(),
    not_before: cert.notBefore.toISOString(),
    not_after: cert.notAfter.toISOString(),
  };
  const info = readPckInfo(cert);
  if (info) {
    const sgx: Record<string, Fields[string]> = {};
    if (info.ppid !== undefined) sgx["ppid"] = info.ppid;
    sgx["tcb_components"] = [...info.tcbComponents];
    if (info.pceSvn !== undefined) sgx["pce_svn"] = info.pceSvn;
    if (info.cpuSvn !== undefined) sgx["cpu_svn"] = info.cpuSvn;
    if (info.pceId !== undefined) sgx["pce_id"] = info.pceId;
    if (info.fmspc !== undefined) sgx["fmspc"] = info.fmspc;
    if (info.sgxType !== undefined) sgx["sgx_type"] = info.sgxType;
    out["sgx_extension"] = sgx;
  }
  return out;
}
