/**
 * Runtime values of the evaluator: claim values, claims, and value sets.
 *
 * Integers are signed 64-bit. A safe integer (|n| ≤ 2^53 − 1) is always a JavaScript `number`;
 * a larger one is always a `bigint`. Because the representation is canonical, `===` is equality
 * and `<`/`>` compare numbers and bigints exactly.
 */
import { CLAIMS } from "../claims/catalog.js";

// CAUTION: public API
/** A claim value: Boolean, Integer (number, or bigint beyond 2^53 − 1) or String. */
export type ClaimValue = boolean | number | bigint | string;

// CAUTION: public API
/** The type of a claim value. */
export type ValueType = "Boolean" | "Integer" | "String";

// CAUTION: public API
/** A claim during and after evaluation. */
export interface Claim {
  readonly type: string;
  readonly value: ClaimValue;
  readonly valueType: ValueType;
  /** `AttestationService`, `AttestationPolicy`, `CustomClaim`, or what an `issuer=` argument said. */
  readonly issuer: string;
  /** Present (true) when the claim is read-only or derived from one (`pcrs`): it may not be issued. */
  readonly readOnly?: true;
}

/** Claim types whose values are read-only (they may be tested and added, never issued): from the claim catalogue. */
export const READ_ONLY_CLAIM_TYPES: ReadonlySet<string> = new Set(CLAIMS.filter((c) => c.readOnly === true).map((c) => c.type));

/** The smallest signed 64-bit integer. */
export const INT64_MIN = -(2n ** 63n);
/** The largest signed 64-bit integer. */
export const INT64_MAX = 2n ** 63n - 1n;

/** The type of a value. */
export function valueTypeOf(v: ClaimValue): ValueType {
  switch (typeof v) {
    case "boolean":
      return "Boolean";
    case "string":
      return "String";
    default:
      return "Integer";
  }
}

/**
 * Brings an integer into canonical form: a `number` when safe, a `bigint` otherwise; undefined
 * when it is not an integer or lies outside the signed 64-bit range.
 */
export function canonicalInteger(v: number | bigint): number | bigint | undefined {
  if (typeof v === "number") {
    if (Number.isSafeInteger(v)) return v === 0 ? 0 : v;
    return undefined;
  }
  if (v < INT64_MIN || v > INT64_MAX) return undefined;
  if (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  return v;
}

/** Parses decimal integer text (optional `-`) into canonical form; undefined when invalid or out of range. */
export function parseIntegerText(text: string): number | bigint | undefined {
  if (!/^-?\d{1,40}$/.test(text)) return undefined;
  return canonicalInteger(BigInt(text));
}

/** Whether two values are equal: same type and same value (no coercion). */
export function sameValue(a: ClaimValue, b: ClaimValue): boolean {
  return a === b;
}

/** A short, one-line rendering of a value for messages and traces (strings quoted, long text cut). */
export function showValue(v: ClaimValue, max = 60): string {
  if (typeof v === "string") {
    const s = JSON.stringify(v);
    return s.length > max ? s.slice(0, max - 2) + "…\"" : s;
  }
  return String(v);
}

/** A JSON-compatible form of a value: bigints become decimal strings. */
export function jsonValue(v: ClaimValue): boolean | number | string {
  return typeof v === "bigint" ? v.toString() : v;
}

/**
 * A set of values (the result of an expression). `ro`, when present, flags the read-only
 * elements (index by index); absent means none is read-only.
 */
export interface ValueSet {
  readonly values: readonly ClaimValue[];
  readonly ro: readonly boolean[] | undefined;
}

/** The empty set. */
export const EMPTY_SET: ValueSet = { values: [], ro: undefined };

/** A set of one value. */
export function single(v: ClaimValue, readOnly = false): ValueSet {
  return { values: [v], ro: readOnly ? [true] : undefined };
}

/** Whether element `i` of `s` is read-only. */
export function isReadOnlyAt(s: ValueSet, i: number): boolean {
  return s.ro !== undefined && s.ro[i] === true;
}
