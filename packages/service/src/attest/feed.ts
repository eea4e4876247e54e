/**
 * The console's feed: the last attestations this service answered, newest first, each with the
 * evaluation trace of why (the policy's rules, their outcome, source position and text, the claims
 * they added or issued). Memory is bounded twice: the feed keeps the last `limit` attestations,
 * and each record's trace is cut to `traceBytes` of JSON, with every string in it (a claim value,
 * a rule's text) cut to `stringChars` characters; a cut says so (`traceTruncated`, `… (N more
 * characters)`). The attest route hands over the evaluation (`evaluated`); the answer is kept when
 * the response is sent (`record`), so a request refused before evaluation is listed too. Both only
 * keep references: the record, its claims and its trace are made when the console first reads it.
 */
import { evalResultToJson, policyHash, type EvalResult } from "@maa-policy/core";

/** How many attestations the console keeps. */
export const KEPT_ATTESTATIONS = 50;
/** The most JSON (UTF-16 code units of `JSON.stringify`, summed over the entries) one record's trace may hold; the same for its claims. */
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

/**
 * An upper bound of the length of `JSON.stringify(s)` for a string, exact when nothing in it is
 * escaped: a character it may write as an escape (quote, backslash, a control, a surrogate) counts
 * as six, the longest escape.
 */
function stringSize(s: string): number {
  let n = s.length + 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) n += 5;
  }
  return n;
}

/**
 * An upper bound of the length of `JSON.stringify(v)`, without allocating; sets `state.copy` when
 * a string is longer than `max` (or a value is not JSON: a bigint), so that `v` must be copied.
 */
function jsonSize(v: unknown, max: number, state: { copy: boolean }): number {
  if (typeof v === "string") {
    if (v.length > max) state.copy = true;
    return stringSize(v);
  }
  if (typeof v === "number") return Number.isFinite(v) ? String(v).length : 4;
  if (typeof v === "boolean") return v ? 4 : 5;
  if (typeof v === "bigint") {
    state.copy = true;
    return String(v).length + 2;
  }
  if (v === null || typeof v !== "object") return 4;
  let size = 2;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) size += (i > 0 ? 1 : 0) + jsonSize(v[i], max, state);
    return size;
  }
  let first = true;
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined || !Object.prototype.hasOwnProperty.call(v, k)) continue;
    size += (first ? 0 : 1) + stringSize(k) + 1 + jsonSize(x, max, state);
    first = false;
  }
  return size;
}

/** A copy of `v` with every string cut to `max` and bigints as decimal strings. */
function cutStrings(v: unknown, max: number): unknown {
  if (typeof v === "string") return cut(v, max).text;
  if (typeof v === "bigint") return cut(v.toString(), max).text;
  if (Array.isArray(v)) return v.map((x) => cutStrings(x, max));
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = cutStrings(x, max);
    return out;
  }
  return typeof v === "number" || typeof v === "boolean" ? v : null;
}

/**
 * `v` with every string cut to `max` (`v` itself when nothing needs cutting, else a copy), and an
 * upper bound of the length of its `JSON.stringify`, exact when no string needs an escape: the feed
 * measures what it keeps without serialising it. Trace entries and claims are a few levels deep
 * (runtime data JSON at most 256, measured by the evidence package before it is parsed).
 */
export function cutJson(v: unknown, max: number, flag: { cut: boolean } = { cut: false }): { value: unknown; size: number } {
  const state = { copy: false };
  const size = jsonSize(v, max, state);
  if (!state.copy) return { value: v, size };
  const value = cutStrings(v, max);
  const after = { copy: false };
  const cutSize = jsonSize(value, max, after);
  if (strings(v).some((x) => x.length > max)) flag.cut = true;
  return { value, size: cutSize };
}

/** Whether any string in `v` is longer than `max` (for the flag, only on the rare copy path). */
function strings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (typeof v === "bigint") return [v.toString()];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v !== null && typeof v === "object") return Object.values(v).flatMap(strings);
  return [];
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

/**
 * The bounded trace of an evaluation: entries with their rule's text, while the sum of their JSON
 * lengths (`cutJson`'s bound, exact without escapes) stays within `budget`.
 */
export function boundedTrace(result: EvalResult, text: string, budget: number, stringChars: number): Pick<FeedEvaluation, "trace" | "traceRules" | "traceTruncated"> {
  const entries = evalResultToJson({ ...result, incoming: [], outgoing: [], properties: [], diagnostics: [] }, text).trace ?? [];
  const trace: TraceRecordEntry[] = [];
  const flag = { cut: false };
  let used = 0;
  for (const e of entries) {
    const off = (e["range"] as { offsets: { start: number; end: number } }).offsets;
    // `e` is this call's own object (evalResultToJson made it): the rule's text is added in place.
    e["source"] = text.slice(off.start, off.end);
    const { value, size } = cutJson(e, stringChars, flag);
    if (used + size > budget) {
      flag.cut = true;
      break;
    }
    used += size;
    trace.push(value as TraceRecordEntry);
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
    const { value, size } = cutJson(v, stringChars);
    used += stringSize(k) + 1 + size + 1;
    if (used > budget) break;
    out[k] = value;
    kept++;
  }
  return { claims: out, omitted: entries.length - kept };
}

/**
 * Requests and answers up to this many characters are kept as they are until the console reads
 * them; a larger one (a big runtime data or draft policy) has its record bounded at once, so what
 * the feed holds stays within about `limit` times this much.
 */
export const LAZY_CHARS = 64 * 1024;

/**
 * What the attest route hands over for one request: the decision, and how to evaluate again with
 * the full trace. Evaluation is a pure function of the compiled policy and the incoming claims, so
 * the trace computed when the console first asks for the record is the one the request produced;
 * the attest path itself evaluates without a trace.
 */
interface PendingEvaluation {
  readonly decision: FeedEvaluation["decision"];
  readonly traced: () => EvalResult;
  readonly policyText: string;
  readonly draft: boolean;
}

/** One kept answer: until the console first reads it, the answer and the evaluation it is made from. */
interface Entry {
  readonly id: number;
  readonly time: Date;
  source: { readonly response: AttestResponse; readonly evaluation: PendingEvaluation | FeedEvaluation | undefined } | undefined;
  record: AttestationRecord | undefined;
}

/** The last attestations, bounded; one per service (`buildApp`). */
export class AttestationFeed {
  private readonly entries: Entry[] = [];
  /** `x-ms-policy-hash` by policy text: the same few policies run again and again (cleared beyond 64). */
  private readonly hashes = new Map<string, string>();
  private readonly pending = new WeakMap<object, PendingEvaluation | FeedEvaluation>();
  private nextId = 1;

  constructor(
    readonly limit: number = KEPT_ATTESTATIONS,
    readonly traceBytes: number = TRACE_BYTES,
    readonly stringChars: number = STRING_CHARS,
  ) {}

  /**
   * The attest route's evaluation of `request` (any object identifying the request): its decision,
   * and `traced`, which evaluates the same policy on the same claims with the full trace. For a
   * request of up to `LAZY_CHARS` characters (`inputChars`), nothing is computed here: the trace,
   * its bounds and the policy hash are made when the console reads the record (once), so an
   * attestation pays for the console only when somebody looks.
   */
  evaluated(request: object, decision: FeedEvaluation["decision"], traced: () => EvalResult, policyText: string, draft: boolean, inputChars = 0): void {
    const p: PendingEvaluation = { decision, traced, policyText, draft };
    this.pending.set(request, inputChars > LAZY_CHARS ? this.evaluation(p) : p);
  }

  /** Records the answer to `request` (with its evaluation, if the route made one); returns the record's id. */
  record(request: object, time: Date, response: AttestResponse): number {
    const entry: Entry = { id: this.nextId++, time, source: { response, evaluation: this.pending.get(request) }, record: undefined };
    this.pending.delete(request);
    if (response.payload.length > LAZY_CHARS) this.made(entry);
    this.entries.unshift(entry);
    if (this.entries.length > this.limit) this.entries.length = this.limit;
    return entry.id;
  }

  /** The kept records, newest first, without their traces. */
  list(): AttestationSummary[] {
    return this.entries.map((e) => {
      const r = this.made(e);
      if (r.evaluation === null) return r;
      const { trace: _trace, ...rest } = r.evaluation;
      return { ...r, evaluation: rest };
    });
  }

  /** One kept record with its trace, or undefined when it is no longer kept. */
  get(id: number): AttestationRecord | undefined {
    const e = this.entries.find((x) => x.id === id);
    return e === undefined ? undefined : this.made(e);
  }

  /** The bounded evaluation: the trace made (evaluating again) and cut, the policy's hash. */
  private evaluation(p: PendingEvaluation): FeedEvaluation {
    let hash = this.hashes.get(p.policyText);
    if (hash === undefined) {
      hash = policyHash(p.policyText);
      if (this.hashes.size >= 64) this.hashes.clear();
      this.hashes.set(p.policyText, hash);
    }
    return { decision: p.decision, policyHash: hash, draft: p.draft, ...boundedTrace(p.traced(), p.policyText, this.traceBytes, this.stringChars) };
  }

  /** The record of an entry, made on first read (the answer's claims and error, the bounded trace); the sources are then let go. */
  private made(e: Entry): AttestationRecord {
    if (e.record !== undefined) return e.record;
    const { response, evaluation } = e.source as NonNullable<Entry["source"]>;
    const ok = response.status < 400;
    const issued = ok ? tokenClaims(response.payload) : null;
    const bounded = issued === null ? null : boundedClaims(issued, this.traceBytes, this.stringChars);
    e.record = {
      id: e.id,
      time: e.time.toISOString(),
      provider: response.provider,
      type: response.type,
      status: response.status,
      claims: bounded?.claims ?? null,
      claimsOmitted: bounded?.omitted ?? 0,
      error: ok ? null : cut(errorMessage(response.payload), this.stringChars).text,
      evaluation: evaluation === undefined ? null : "traced" in evaluation ? this.evaluation(evaluation) : evaluation,
    };
    e.source = undefined;
    return e.record;
  }
}
