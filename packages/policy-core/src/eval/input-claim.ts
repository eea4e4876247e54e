/**
 * The one rule for input claims, shared by every way claims come in: `evaluate` (claims given
 * through the API), claims files, shorthand objects and token payloads (`parseClaimsInput`).
 * A claim value is a Boolean, an Integer (signed 64-bit) or a String; anything else cannot be an
 * MAA claim value and is refused with the place it was found, never turned into something else.
 */
import { canonicalInteger, parseIntegerText, type ClaimValue } from "./value.js";

/** The value types an input claim may declare. */
export const INPUT_VALUE_TYPES: readonly string[] = ["Boolean", "Integer", "String"];

/** A problem with an input claim: the member it concerns (none for the claim as a whole) and why. */
export interface ClaimProblem {
  readonly member: "type" | "value" | "valueType" | "issuer" | undefined;
  readonly message: string;
}

/** A valid input claim, normalised: the value in canonical form, the issuer when one was given. */
export interface CheckedClaim {
  readonly type: string;
  readonly value: ClaimValue;
  readonly issuer?: string;
}

/** A short description of a JSON or JavaScript value for messages. */
export function describeInput(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)}`;
  return `${typeof v} ${String(v)}`;
}

/**
 * The claim value of a JSON number: a safe integer is itself; a fraction, or an integer beyond
 * 2^53 − 1 (which JSON parsing has already rounded), is refused with the reason.
 */
export function numberClaimValue(v: number): { value: number } | { message: string } {
  if (!Number.isInteger(v)) return { message: `the fraction ${String(v)} is not a claim value: values are Booleans, Integers or Strings` };
  if (!Number.isSafeInteger(v)) {
    return { message: `the integer ${String(v)} is beyond 2^53 − 1 and was rounded by JSON: give it in a claims file as a decimal string with "valueType": "Integer"` };
  }
  return { value: v === 0 ? 0 : v };
}

/**
 * The path (below `path`) of the first number in a JSON value that JSON parsing rounded (an
 * integer beyond 2^53 − 1), or undefined. Used where JSON data becomes JSON text again (shorthand
 * and token payload members holding objects): the rounded number would be passed on as if exact.
 */
export function roundedNumberPath(v: unknown, path: string, key: (path: string, k: string) => string): string | undefined {
  const stack: { v: unknown; path: string }[] = [{ v, path }];
  while (stack.length > 0) {
    const top = stack.pop() as { v: unknown; path: string };
    const x = top.v;
    if (typeof x === "number") {
      if (Number.isInteger(x) && !Number.isSafeInteger(x)) return top.path;
    } else if (Array.isArray(x)) {
      for (let i = x.length - 1; i >= 0; i--) stack.push({ v: x[i], path: `${top.path}[${i}]` });
    } else if (x !== null && typeof x === "object") {
      const entries = Object.entries(x as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, val] = entries[i] as [string, unknown];
        stack.push({ v: val, path: key(top.path, k) });
      }
    }
  }
  return undefined;
}

/**
 * Checks one input claim `{type, value, valueType?, issuer?}` and normalises it: every problem
 * is listed (a claims file reports them all; `evaluate` the first). Other members are ignored
 * here; a claims file refuses them itself.
 */
export function checkInputClaim(x: unknown): { claim: CheckedClaim; problems: readonly [] } | { claim: undefined; problems: readonly ClaimProblem[] } {
  if (typeof x !== "object" || x === null || Array.isArray(x)) {
    return { claim: undefined, problems: [{ member: undefined, message: `a claim must be an object with \`type\` and \`value\`, not ${describeInput(x)}` }] };
  }
  const o = x as Record<string, unknown>;
  const problems: ClaimProblem[] = [];
  const bad = (member: ClaimProblem["member"], message: string) => problems.push({ member, message });
  const type = o["type"];
  if (typeof type !== "string") bad("type", type === undefined ? "missing: every claim needs a type" : `must be a string, not ${describeInput(type)}`);
  const vt = o["valueType"];
  const vtOk = vt === undefined || (typeof vt === "string" && INPUT_VALUE_TYPES.includes(vt));
  if (!vtOk) bad("valueType", `must be one of ${INPUT_VALUE_TYPES.join(", ")}, not ${describeInput(vt)}`);
  const issuer = o["issuer"];
  if (issuer !== undefined && typeof issuer !== "string") bad("issuer", `must be a string, not ${describeInput(issuer)}`);
  const raw = o["value"];
  let value: ClaimValue | undefined;
  if (raw === undefined) bad("value", "missing: every claim needs a value");
  else if (typeof raw === "number") {
    const r = numberClaimValue(raw);
    if ("message" in r) bad("value", r.message);
    else value = r.value;
  } else if (typeof raw === "bigint") {
    const c = canonicalInteger(raw);
    if (c === undefined) bad("value", `the integer ${String(raw)} is outside the signed 64-bit range`);
    else value = c;
  } else if (typeof raw === "string") {
    if (vt === "Integer") {
      const i = parseIntegerText(raw);
      if (i === undefined) bad("value", `${JSON.stringify(raw.length > 40 ? raw.slice(0, 40) + "…" : raw)} is not a signed 64-bit decimal integer (valueType is Integer)`);
      else value = i;
    } else value = raw;
  } else if (typeof raw === "boolean") value = raw;
  else bad("value", `must be a Boolean, an Integer or a String, not ${describeInput(raw)} (write JSON data as a string)`);
  if (value !== undefined && vt !== undefined && vtOk) {
    const actual = typeof value === "boolean" ? "Boolean" : typeof value === "string" ? "String" : "Integer";
    // A decimal String given as `Integer` was converted above.
    if (actual !== vt) bad("valueType", `is ${String(vt)} but the value is ${actual === "Integer" ? `the Integer ${String(value)}` : `a ${actual}`}`);
  }
  if (problems.length > 0 || value === undefined) return { claim: undefined, problems };
  const claim: { type: string; value: ClaimValue; issuer?: string } = { type: type as string, value };
  if (issuer !== undefined) claim.issuer = issuer as string;
  return { claim, problems: [] };
}
