/**
 * The console's feed: the last attestations this service answered, newest first, each with the
 * evaluation trace of why (the policy's rules, their outcome, source position and text, the claims
 * they added or issued). Memory is bounded twice: the feed keeps the last `limit` attestations,
 * and each record's trace is cut to `traceBytes` of JSON, with every string in it (a claim value,
 * a rule's text) cut to `stringChars` characters; a cut says so (`traceTruncated`, `… (N more
 * characters)`). The attest route hands over the evaluation (`evaluated`); the record is made when
 * the response is sent (`record`), so a request refused before evaluation is listed too.
 */
import { evalResultToJson, policyHash, type EvalResult } from "@maa-policy/core";

/** How many attestations the console keeps. */
export const KEPT_ATTESTATIONS = 50;
/** The most JSON (UTF-16 code units of `JSON.stringify`) one record's trace may hold. */
export const TRACE_BYTES = 64 * 1024;
/** The longest string kept in a trace or in the issued claims of a record. */
export const STRING_CHARS = 1024;

/** One rule of a record's trace: policy-core's trace entry JSON (`evalResultToJson`) plus the rule's text. */
export type TraceRecordEntry = Record<string, unknown> & { readonly source: string };

/** The evaluation of one attestation, as the feed keeps it. */
export interface FeedEvaluation {
  readonly decision: "permit" | "deny" | "error";
  /** `x-ms-policy-hash` of the policy that ran. */
  readonly policyHash: string;
  /** Whether the policy was the request's `draftPolicyForAttestation`. */
  readonly draft: boolean;
  /** The rules evaluated, in order, up to the budget. */
  readonly trace: readonly TraceRecordEntry[];
  /** How many rules were evaluated (the trace may hold fewer). */
  readonly traceRules: number;
  /** Whether the trace was cut (fewer entries than rules, or a string shortened). */
  readonly traceTruncated: boolean;
}

/** One attestation as the console shows it. */
export interface AttestationRecord {
  /** Increases by one per attestation, from 1: the console's key for a row. */
  readonly id: number;
  readonly time: string;
  readonly provider: string;
  readonly type: string;
  readonly status: number;
  /** The issued token's claims (up to the feed's byte budget), or null when the attestation failed. */
  readonly claims: Record<string, unknown> | null;
  /** How many of the token's claims were left out of `claims` to keep it within the budget. */
  readonly claimsOmitted: number;
  /** The service's error message, or null. */
  readonly error: string | null;
  /** The policy's evaluation, or null when the request was refused before the policy ran. */
  readonly evaluation: FeedEvaluation | null;
}

/** A record without its trace (the list the console polls); `traceRules` says how many rules ran. */
export type AttestationSummary = Omit<AttestationRecord, "evaluation"> & {
  readonly evaluation: Omit<FeedEvaluation, "trace"> | null;
};

/** What the response of an attest request says. */
export interface AttestResponse {
  readonly provider: string;
  readonly type: string;
  readonly status: number;
  /** The response body as sent. */
  readonly payload: string;
}

/** `s` cut to `max` characters, saying how many were left out. */
function cut(s: string, max: number): { text: string; cut: boolean } {
  return s.length <= max ? { text: s, cut: false } : { text: `${s.slice(0, max)}… (${s.length - max} more characters)`, cut: true };
}

/** A copy of a JSON value with every string cut to `max` (trace entries and claims are a few levels deep). */
function shortened(v: unknown, max: number, flag: { cut: boolean }): unknown {
  if (typeof v === "string") {
    const c = cut(v, max);
    if (c.cut) flag.cut = true;
    return c.text;
  }
  if (Array.isArray(v)) return v.map((x) => shortened(x, max, flag));
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = shortened(x, max, flag);
    return out;
  }
  return v;
}

function tokenClaims(payload: string): Record<string, unknown> | null {
  try {
    const token = (JSON.parse(payload) as { token?: unknown }).token;
    if (typeof token !== "string") return null;
    const claims: unknown = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
    return claims !== null && typeof claims === "object" && !Array.isArray(claims) ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function errorMessage(payload: string): string {
  try {
    const e = (JSON.parse(payload) as { error?: { code?: string; message?: string } }).error;
    return `${e?.code ?? "Error"}: ${e?.message ?? ""}`;
  } catch {
    return "the service refused the request";
  }
}

/** The bounded trace of an evaluation: entries with their rule's text, up to `budget` of JSON. */
export function boundedTrace(result: EvalResult, text: string, budget: number, stringChars: number): Pick<FeedEvaluation, "trace" | "traceRules" | "traceTruncated"> {
  const entries = evalResultToJson({ ...result, incoming: [], outgoing: [], properties: [], diagnostics: [] }, text).trace ?? [];
  const trace: TraceRecordEntry[] = [];
  const flag = { cut: false };
  let used = 0;
  for (const e of entries) {
    const off = (e["range"] as { offsets: { start: number; end: number } }).offsets;
    const entry = shortened({ ...e, source: text.slice(off.start, off.end) }, stringChars, flag) as TraceRecordEntry;
    const size = JSON.stringify(entry).length;
    if (used + size > budget) {
      flag.cut = true;
      break;
    }
    used += size;
    trace.push(entry);
  }
  return { trace, traceRules: entries.length, traceTruncated: flag.cut };
}

/** The claims of a token, strings cut, up to `budget` of JSON; with how many were left out. */
function boundedClaims(claims: Record<string, unknown>, budget: number, stringChars: number): { claims: Record<string, unknown>; omitted: number } {
  const out: Record<string, unknown> = {};
  const entries = Object.entries(claims);
  let used = 0;
  let kept = 0;
  for (const [k, v] of entries) {
    const value = shortened(v, stringChars, { cut: false });
    used += JSON.stringify([k, value]).length;
    if (used > budget) break;
    out[k] = value;
    kept++;
  }
  return { claims: out, omitted: entries.length - kept };
}

/** The last attestations, bounded; one per service (`buildApp`). */
export class AttestationFeed {
  private readonly records: AttestationRecord[] = [];
  private readonly pending = new WeakMap<object, FeedEvaluation>();
  private nextId = 1;

  constructor(
    readonly limit: number = KEPT_ATTESTATIONS,
    readonly traceBytes: number = TRACE_BYTES,
    readonly stringChars: number = STRING_CHARS,
  ) {}

  /**
   * The attest route's evaluation of `request` (any object identifying the request): the trace is
   * bounded here, so the evaluation result itself is not kept.
   */
  evaluated(request: object, result: EvalResult, policyText: string, draft: boolean): void {
    this.pending.set(request, {
      decision: result.decision,
      policyHash: policyHash(policyText),
      draft,
      ...boundedTrace(result, policyText, this.traceBytes, this.stringChars),
    });
  }

  /** Records the answer to `request` (with its evaluation, if the route made one). */
  record(request: object, time: Date, response: AttestResponse): AttestationRecord {
    const ok = response.status < 400;
    const issued = ok ? tokenClaims(response.payload) : null;
    const bounded = issued === null ? null : boundedClaims(issued, this.traceBytes, this.stringChars);
    const record: AttestationRecord = {
      id: this.nextId++,
      time: time.toISOString(),
      provider: response.provider,
      type: response.type,
      status: response.status,
      claims: bounded?.claims ?? null,
      claimsOmitted: bounded?.omitted ?? 0,
      error: ok ? null : cut(errorMessage(response.payload), this.stringChars).text,
      evaluation: this.pending.get(request) ?? null,
    };
    this.pending.delete(request);
    this.records.unshift(record);
    this.records.length = Math.min(this.records.length, this.limit);
    return record;
  }

  /** The kept records, newest first, without their traces. */
  list(): AttestationSummary[] {
    return this.records.map((r) => {
      if (r.evaluation === null) return r;
      const { trace: _trace, ...rest } = r.evaluation;
      return { ...r, evaluation: rest };
    });
  }

  /** One kept record with its trace, or undefined when it is no longer kept. */
  get(id: number): AttestationRecord | undefined {
    return this.records.find((r) => r.id === id);
  }
}
