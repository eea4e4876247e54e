/**
 * Intel DCAP collateral: the PCK CRL and Root CA CRL (revocation), the TCB info for the platform's
 * FMSPC (the TCB status) and the QE identity, each signed by Intel and checked against the pinned
 * root. The collateral file is a JSON object with the Intel PCS fields (the form Phala dcap-qvl
 * saves): `pck_crl`, `pck_crl_issuer_chain`, `root_ca_crl`, `tcb_info` (the signed JSON text),
 * `tcb_info_signature` (hex r‖s), `tcb_info_issuer_chain`, `qe_identity`, `qe_identity_signature`,
 * `qe_identity_issuer_chain`; camelCase names are accepted too. CRLs may be hex, PEM or base64 DER.
 * `tcb_info` and `qe_identity` may also be the text of Intel PCS responses (`{"tcbInfo":{…},
 * "signature":"…"}`, as go-tdx-guest saves them), whose signature is then taken from the response.
 */
import { diagnostic, emptyRange, type Diagnostic } from "@maa-policy/core";
import { fromHex, toHex } from "../bytes.js";
import type { VerificationCheck } from "../types.js";
import { readPckInfo } from "./pck.js";
import { INTEL_SGX_ROOT_SPKI_HEX } from "./roots.js";
import type { IntelQuote } from "./quote.js";
import { verifyIntelChain, verifyWithCertificate, type ChainResult } from "./verify.js";
import { certName, crlSignedBy, isRevoked, pemCertificates, readCrl, type X509Certificate } from "./x509.js";

/** The collateral, read. */
export interface IntelCollateral {
  readonly tcbInfoText?: string;
  readonly tcbInfoSignature?: Uint8Array;
  readonly tcbInfoChain: readonly string[];
  readonly qeIdentityText?: string;
  readonly qeIdentitySignature?: Uint8Array;
  readonly qeIdentityChain: readonly string[];
  readonly pckCrl?: string;
  readonly rootCrl?: string;
}

const ALIASES: Readonly<Record<string, string>> = {
  pckCrl: "pck_crl",
  pckCrlIssuerChain: "pck_crl_issuer_chain",
  rootCaCrl: "root_ca_crl",
  tcbInfo: "tcb_info",
  tcbInfoSignature: "tcb_info_signature",
  tcbInfoIssuerChain: "tcb_info_issuer_chain",
  qeIdentity: "qe_identity",
  qeIdentitySignature: "qe_identity_signature",
  qeIdentityIssuerChain: "qe_identity_issuer_chain",
};

const KNOWN = new Set(Object.values(ALIASES));

function asText(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "object" && v !== null) return JSON.stringify(v);
  return undefined;
}

/** Reads a collateral file; the problems are P5030 diagnostics (range: the whole file). */
export function readIntelCollateral(data: Uint8Array | string): { value?: IntelCollateral; diagnostics: Diagnostic[] } {
  const text = typeof data === "string" ? data : new TextDecoder("utf-8", { fatal: false }).decode(data);
  const diagnostics: Diagnostic[] = [];
  const fail = (m: string) => {
    diagnostics.push(diagnostic("P5030", emptyRange(0), m));
    return { diagnostics };
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail("the collateral is not JSON: expected an object with the Intel PCS fields (`tcb_info`, `qe_identity`, `pck_crl` …)");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return fail("the collateral is not a JSON object");
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) o[ALIASES[k] ?? k] = v;
  if (![...KNOWN].some((k) => k in o)) return fail("the collateral has none of the Intel PCS fields (`tcb_info`, `qe_identity`, `pck_crl`, `root_ca_crl` …)");
  const sig = (k: string): Uint8Array | undefined => {
    const v = o[k];
    if (v === undefined) return undefined;
    const b = typeof v === "string" ? fromHex(v.trim()) : undefined;
    if (b === undefined || b.length !== 64) {
      diagnostics.push(diagnostic("P5030", emptyRange(0), `collateral \`${k}\` is not a 64-byte hex ECDSA signature (r‖s)`));
      return undefined;
    }
    return b;
  };
  // An issuer chain has 2 certificates; at most 10 are read (bounded cost, ruling I5).
  const chain = (k: string) => (typeof o[k] === "string" ? pemCertificates(o[k] as string, 10) : []);
  const value: { -readonly [K in keyof IntelCollateral]: IntelCollateral[K] } = {
    tcbInfoChain: chain("tcb_info_issuer_chain"),
    qeIdentityChain: chain("qe_identity_issuer_chain"),
  };
  // A PCS response (`{"tcbInfo":{…},"signature":"…"}`) as `tcb_info`: the signed text is the exact
  // text of its first member, and the signature its second.
  const pcs = (v: unknown): { text: string; signature?: Uint8Array } | undefined => {
    if (typeof v !== "string") return undefined;
    const m = /^\s*\{\s*"(?:tcbInfo|enclaveIdentity)"\s*:\s*([\s\S]*\})\s*,\s*"signature"\s*:\s*"([0-9a-fA-F]{128})"\s*\}\s*$/.exec(v);
    if (m === null) return undefined;
    const signature = fromHex(m[2] as string);
    return { text: m[1] as string, ...(signature ? { signature } : {}) };
  };
  const tcbPcs = pcs(o["tcb_info"]);
  const tcb = tcbPcs?.text ?? asText(o["tcb_info"]);
  if (tcb !== undefined) value.tcbInfoText = tcb;
  const tsig = tcbPcs?.signature ?? sig("tcb_info_signature");
  if (tsig) value.tcbInfoSignature = tsig;
  const qePcs = pcs(o["qe_identity"]);
  const qe = qePcs?.text ?? asText(o["qe_identity"]);
  if (qe !== undefined) value.qeIdentityText = qe;
  const qsig = qePcs?.signature ?? sig("qe_identity_signature");
  if (qsig) value.qeIdentitySignature = qsig;
  if (typeof o["pck_crl"] === "string") value.pckCrl = o["pck_crl"] as string;
  if (typeof o["root_ca_crl"] === "string") value.rootCrl = o["root_ca_crl"] as string;
  return { value, diagnostics };
}

/** What the collateral step found. */
export interface CollateralResult {
  readonly checks: VerificationCheck[];
  readonly diagnostics: Diagnostic[];
  /** The platform TCB status from the TCB info (`UpToDate`, `OutOfDate` …), when it was evaluated. */
  readonly tcbStatus?: string;
  readonly qeTcbStatus?: string;
}

type Json = Record<string, unknown>;

function obj(v: unknown): Json | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** Parses a signed collateral body (`{"id":…}` or the PCS response `{"tcbInfo":{…},"signature":…}`). */
function body(text: string | undefined, key: "tcbInfo" | "enclaveIdentity"): Json | undefined {
  if (text === undefined) return undefined;
  try {
    const j = obj(JSON.parse(text));
    if (j === undefined) return undefined;
    return obj(j[key]) ?? j;
  } catch {
    return undefined;
  }
}

/** Components of a TCB level: `sgxtcbcomponents` (v3) or `sgxtcbcompNNsvn` (v2). */
function sgxComponents(tcb: Json): number[] {
  const v3 = tcb["sgxtcbcomponents"];
  if (Array.isArray(v3)) return v3.map((c) => num(obj(c)?.["svn"]) ?? 0);
  return Array.from({ length: 16 }, (_, i) => num(tcb[`sgxtcbcomp${String(i + 1).padStart(2, "0")}svn`]) ?? 0);
}

const STATUS_OK = "UpToDate";

function freshness(name: string, j: Json | undefined, now: Date, stale: string[]): void {
  if (j === undefined) return;
  const next = typeof j["nextUpdate"] === "string" ? new Date(j["nextUpdate"] as string) : undefined;
  const issued = typeof j["issueDate"] === "string" ? new Date(j["issueDate"] as string) : undefined;
  if (next && !Number.isNaN(next.getTime()) && next < now) stale.push(`${name} nextUpdate ${next.toISOString()}`);
  if (issued && !Number.isNaN(issued.getTime()) && issued > now) stale.push(`${name} issued ${issued.toISOString()}, after the verification time`);
}

/**
 * Checks the quote against the collateral: revocation of the PCK chain, the TCB info (signature,
 * FMSPC, TCB level), the QE identity (signature, identity, TCB level) and their freshness.
 */
export async function verifyIntelCollateral(q: IntelQuote, pck: ChainResult, collateral: IntelCollateral, now: Date, rootSpki: string = INTEL_SGX_ROOT_SPKI_HEX): Promise<CollateralResult> {
  const p = q.tee;
  const checks: VerificationCheck[] = [];
  const diagnostics: Diagnostic[] = [];
  let tcbStatus: string | undefined;
  let qeTcbStatus: string | undefined;
  const leaf = pck.certs[0];
  const inter = pck.certs[1];
  const root = pck.certs[pck.certs.length - 1];

  // Revocation.
  const rev = { id: `${p}.pck-revocation`, title: "PCK chain revocation (PCK CRL, Root CA CRL)" };
  if (collateral.pckCrl === undefined || collateral.rootCrl === undefined) {
    checks.push({ ...rev, status: "not-checked", detail: `the collateral has no ${collateral.pckCrl === undefined ? "`pck_crl`" : "`root_ca_crl`"}: revocation was not checked` });
  } else if (leaf === undefined || inter === undefined || root === undefined || !pck.trusted) {
    checks.push({ ...rev, status: "not-checked", detail: "the PCK chain did not verify, so its CRLs cannot be checked" });
  } else {
    const pckCrl = readCrl(collateral.pckCrl);
    const rootCrl = readCrl(collateral.rootCrl);
    if (pckCrl === undefined || rootCrl === undefined) {
      checks.push({ ...rev, status: "failed", detail: `collateral \`${pckCrl === undefined ? "pck_crl" : "root_ca_crl"}\` cannot be read as a CRL`, code: "P5030" });
    } else if (!(await crlSignedBy(pckCrl, inter))) {
      checks.push({ ...rev, status: "failed", detail: `the PCK CRL (issuer \`${pckCrl.issuer}\`) is not signed by \`${certName(inter)}\`, the issuer of the PCK certificate`, code: "P5030" });
    } else if (!(await crlSignedBy(rootCrl, root))) {
      checks.push({ ...rev, status: "failed", detail: "the Root CA CRL is not signed by the Intel SGX Root CA", code: "P5030" });
    } else if (isRevoked(pckCrl, leaf)) {
      checks.push({ ...rev, status: "failed", detail: `the PCK certificate (serial ${leaf.serialNumber.toLowerCase()}) is revoked by the PCK CRL of \`${certName(inter)}\``, code: "P5031" });
    } else if (isRevoked(rootCrl, inter)) {
      checks.push({ ...rev, status: "failed", detail: `\`${certName(inter)}\` (serial ${inter.serialNumber.toLowerCase()}) is revoked by the Root CA CRL`, code: "P5031" });
    } else {
      checks.push({ ...rev, status: "passed", detail: `neither the PCK certificate nor \`${certName(inter)}\` is revoked (PCK CRL: ${pckCrl.entries.length} entries, Root CA CRL: ${rootCrl.entries.length})` });
    }
  }

  // The TCB Signing chains and the signatures of TCB info and QE identity.
  const signer = async (chain: readonly string[], text: string | undefined, sig: Uint8Array | undefined, what: string, idPart: string): Promise<Json | undefined> => {
    const id = `${p}.${idPart}-signature`;
    const title = `${what} signed by Intel`;
    if (text === undefined || sig === undefined) {
      checks.push({ id, title, status: "not-checked", detail: `the collateral has no ${what} with its signature` });
      return undefined;
    }
    const ch = await verifyIntelChain(chain, now, `${p}.${idPart}-signing`, `${what} issuer chain`, rootSpki);
    const signing = ch.certs[0];
    if (!ch.trusted || signing === undefined) {
      checks.push({ id, title, status: "failed", detail: `the ${what} issuer chain does not verify: ${ch.checks[0]?.detail ?? "no certificate"}`, code: "P5030" });
      return undefined;
    }
    const validity = ch.checks.find((c) => c.id.endsWith("certificate-validity"));
    if (validity && validity.status === "failed") checks.push({ ...validity, code: "P5030" });
    const ok = await verifyWithCertificate(signing as X509Certificate, sig, new TextEncoder().encode(text));
    if (!ok) {
      checks.push({ id, title, status: "failed", detail: `the ${what} signature does not verify with \`${certName(signing)}\`: the ${what} was changed`, code: "P5030" });
      return undefined;
    }
    const j = body(text, idPart === "tcb-info" ? "tcbInfo" : "enclaveIdentity");
    if (j === undefined) {
      checks.push({ id, title, status: "failed", detail: `the ${what} is not a JSON object`, code: "P5030" });
      return undefined;
    }
    checks.push({ id, title, status: "passed", detail: `signed by \`${certName(signing)}\` (chain to the pinned Intel SGX Root CA key)` });
    return j;
  };
  const tcbInfo = await signer(collateral.tcbInfoChain, collateral.tcbInfoText, collateral.tcbInfoSignature, "TCB info", "tcb-info");
  const qeId = await signer(collateral.qeIdentityChain, collateral.qeIdentityText, collateral.qeIdentitySignature, "QE identity", "qe-identity");

  // Platform TCB status.
  const tcbCheck = { id: `${p}.tcb-status`, title: "Platform TCB status (TCB info for the FMSPC)" };
  const info = leaf ? readPckInfo(leaf) : undefined;
  if (tcbInfo === undefined) {
    checks.push({ ...tcbCheck, status: "not-checked", detail: "no verified TCB info: the TCB status was not evaluated" });
  } else if (info === undefined || info.fmspc === undefined) {
    checks.push({ ...tcbCheck, status: "failed", detail: "the PCK certificate has no readable SGX extension (FMSPC, TCB)", code: "P5030" });
  } else {
    const wantId = p === "tdx" ? "TDX" : "SGX";
    const id = typeof tcbInfo["id"] === "string" ? (tcbInfo["id"] as string) : "SGX";
    const fmspc = String(tcbInfo["fmspc"] ?? "").toLowerCase();
    const pceId = String(tcbInfo["pceId"] ?? "").toLowerCase();
    if (id !== wantId) {
      checks.push({ ...tcbCheck, status: "failed", detail: `the TCB info is for \`${id}\`, the quote is ${wantId}`, code: "P5035" });
    } else if (fmspc !== info.fmspc || (info.pceId !== undefined && pceId !== "" && pceId !== info.pceId)) {
      checks.push({ ...tcbCheck, status: "failed", detail: `the TCB info is for FMSPC ${fmspc} (PCE ID ${pceId}), the PCK certificate says FMSPC ${info.fmspc} (PCE ID ${info.pceId ?? "?"})`, code: "P5035" });
    } else {
      const levels = Array.isArray(tcbInfo["tcbLevels"]) ? (tcbInfo["tcbLevels"] as unknown[]) : [];
      const tee = q.tdxBody?.teeTcbSvn;
      // TDX 1.5 modules (tee_tcb_svn[1] > 0) are matched from byte 2 on; bytes 0-1 identify the module.
      const tdxFrom = tee !== undefined && (tee[1] as number) > 0 && Array.isArray(tcbInfo["tdxModuleIdentities"]) ? 2 : 0;
      let status: string | undefined;
      let date = "";
      for (const l of levels) {
        const lv = obj(l);
        const tcb = obj(lv?.["tcb"]);
        if (!lv || !tcb) continue;
        const comps = sgxComponents(tcb);
        if (!comps.every((s, i) => (info.tcbComponents[i] ?? 0) >= s)) continue;
        if ((info.pceSvn ?? 0) < (num(tcb["pcesvn"]) ?? 0)) continue;
        if (tee !== undefined) {
          const tdx = Array.isArray(tcb["tdxtcbcomponents"]) ? (tcb["tdxtcbcomponents"] as unknown[]).map((c) => num(obj(c)?.["svn"]) ?? 0) : [];
          if (!tdx.every((s, i) => i < tdxFrom || (tee[i] ?? 0) >= s)) continue;
        }
        status = String(lv["tcbStatus"] ?? "");
        date = String(lv["tcbDate"] ?? "");
        break;
      }
      if (status === undefined) {
        checks.push({ ...tcbCheck, status: "failed", detail: `no TCB level of FMSPC ${fmspc} is met by the platform (PCK TCB ${info.tcbComponents.join(",")}, PCESVN ${info.pceSvn ?? "?"}${tee ? `, TEE TCB SVN ${toHex(tee)}` : ""}): the TCB level is not supported (Intel QVL: TCB_NOT_SUPPORTED)`, code: "P5032" });
      } else if (status === "Revoked") {
        tcbStatus = status;
        checks.push({ ...tcbCheck, status: "failed", detail: `the platform's TCB level (tcbDate ${date}) is Revoked`, code: "P5032" });
      } else if (status === STATUS_OK) {
        tcbStatus = status;
        checks.push({ ...tcbCheck, status: "passed", detail: `UpToDate (FMSPC ${fmspc}, tcbDate ${date})` });
      } else {
        tcbStatus = status;
        checks.push({ ...tcbCheck, status: "passed", detail: `${status} (FMSPC ${fmspc}, tcbDate ${date}): accepted with a warning, as MAA reports it in the claims rather than refusing`, code: "P5032" });
        diagnostics.push(diagnostic("P5032", emptyRange(q.certDataOffset), `the platform TCB status is \`${status}\` under the TCB info for FMSPC ${fmspc} (tcbDate ${date})`));
      }
    }
  }

  // QE identity.
  const qeCheck = { id: `${p}.qe-identity`, title: "Quoting enclave identity (QE identity)" };
  if (qeId === undefined) {
    checks.push({ ...qeCheck, status: "not-checked", detail: "no verified QE identity: the quoting enclave was not checked" });
  } else {
    const want = p === "tdx" ? "TD_QE" : "QE";
    const r = q.qeReport;
    const mask = (a: Uint8Array, m: Uint8Array) => toHex(a.map((x, i) => x & (m[i] ?? 0)));
    const idAttr = fromHex(String(qeId["attributes"] ?? "")) ?? new Uint8Array(16);
    const idMask = fromHex(String(qeId["attributesMask"] ?? "")) ?? new Uint8Array(16);
    const miscMask = parseInt(String(qeId["miscselectMask"] ?? "0"), 16) >>> 0;
    const miscWant = parseInt(String(qeId["miscselect"] ?? "0"), 16) >>> 0;
    // MISCSELECT is little-endian in the report, big-endian hex in the identity.
    const misc = ((r.miscSelect >>> 0) & miscMask) >>> 0;
    const problems: string[] = [];
    if (qeId["id"] !== undefined && qeId["id"] !== want) problems.push(`the QE identity is \`${String(qeId["id"])}\`, expected \`${want}\``);
    if (String(qeId["mrsigner"] ?? "").toLowerCase() !== toHex(r.mrSigner)) problems.push(`QE mr_signer ${toHex(r.mrSigner)} is not ${String(qeId["mrsigner"] ?? "").toLowerCase()}`);
    if (num(qeId["isvprodid"]) !== r.isvProdId) problems.push(`QE isv_prod_id ${r.isvProdId} is not ${String(qeId["isvprodid"])}`);
    if (misc !== ((miscWant & miscMask) >>> 0)) problems.push(`QE misc_select does not match under the mask ${String(qeId["miscselectMask"])}`);
    if (mask(r.attributes, idMask) !== mask(idAttr, idMask)) problems.push(`QE attributes ${toHex(r.attributes)} do not match ${String(qeId["attributes"])} under the mask`);
    let status: string | undefined;
    if (problems.length === 0) {
      for (const l of Array.isArray(qeId["tcbLevels"]) ? (qeId["tcbLevels"] as unknown[]) : []) {
        const lv = obj(l);
        const isvsvn = num(obj(lv?.["tcb"])?.["isvsvn"]);
        if (lv && isvsvn !== undefined && r.isvSvn >= isvsvn) {
          status = String(lv["tcbStatus"] ?? "");
          break;
        }
      }
      if (status === undefined) problems.push(`no QE TCB level is met by QE isv_svn ${r.isvSvn}`);
      else if (status === "Revoked") problems.push(`the QE TCB level for isv_svn ${r.isvSvn} is Revoked`);
    }
    qeTcbStatus = status;
    if (problems.length > 0) checks.push({ ...qeCheck, status: "failed", detail: problems.join("; "), code: "P5033" });
    else checks.push({ ...qeCheck, status: "passed", detail: `${want} mr_signer, isv_prod_id ${r.isvProdId}, attributes and misc_select match; QE TCB ${status} (isv_svn ${r.isvSvn})` });
  }

  // Freshness.
  const stale: string[] = [];
  freshness("TCB info", tcbInfo, now, stale);
  freshness("QE identity", qeId, now, stale);
  const fresh = { id: `${p}.collateral-freshness`, title: "Collateral freshness at the verification time" };
  if (tcbInfo === undefined && qeId === undefined) checks.push({ ...fresh, status: "not-checked", detail: "no verified TCB info or QE identity" });
  else if (stale.length === 0) checks.push({ ...fresh, status: "passed", detail: `the TCB info and QE identity are current at ${now.toISOString()}` });
  else {
    checks.push({ ...fresh, status: "passed", detail: `out of date at ${now.toISOString()}: ${stale.join("; ")} (a warning: Intel would have newer collateral)`, code: "P5034" });
    diagnostics.push(diagnostic("P5034", emptyRange(0), `the collateral is out of date at ${now.toISOString()}: ${stale.join("; ")}`));
  }
  return { checks, diagnostics, ...(tcbStatus !== undefined ? { tcbStatus } : {}), ...(qeTcbStatus !== undefined ? { qeTcbStatus } : {}) };
}
