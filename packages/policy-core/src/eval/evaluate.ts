/**
 * `evaluate(policy, claims, options)`: runs a compiled policy over a claim set.
 *
 * Total, deterministic, bounded and fail-closed: every input gives a result; the same input
 * gives the same result; a step budget and a depth budget stop runaway evaluations (P3006); any
 * failure gives the decision `error` with a P3xxx diagnostic (never `permit`), no outgoing claims
 * and no properties. Failures unwind as a private `EvalFailure`, caught only here.
 *
 * Order (LANGUAGE.md section 7): configurationrules, then authorizationrules (one pass; a
 * `deny()` wins; without a `permit()` the decision is deny), then issuancerules (one pass, each
 * rule seeing what earlier rules added).
 */
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { ComparisonOperator } from "../syntax/tokens.js";
import type { TextRange } from "../text/text-range.js";
import type { BuiltinArg, CallBudget } from "./builtins/builtin.js";
import { EvalFailure, FunctionError } from "./errors.js";
import { checkInputClaim, type ClaimProblem } from "./input-claim.js";
import type { CallExpr, CompiledAction, CompiledCondition, CompiledPolicy, CompiledRule, CompiledTest, Expr } from "./program.js";
import type { TraceCondition, TraceEntry, TraceLevel, TraceTestFailure } from "./trace.js";
import {
  EMPTY_SET,
  READ_ONLY_CLAIM_TYPES,
  jsonValue,
  parseIntegerText,
  showValue,
  valueTypeOf,
  type Claim,
  type ClaimValue,
  type ValueSet,
  type ValueType,
} from "./value.js";

// CAUTION: public API
/** A claim given to the evaluator. `issuer` defaults to `CustomClaim`. */
export interface InputClaim {
  readonly type: string;
  /** Boolean, Integer (a safe integer, or a bigint within 64 bits) or String. */
  readonly value: boolean | number | bigint | string;
  /** `Boolean`, `Integer` or `String`; must agree with the value (a decimal String may be given as `Integer`). */
  readonly valueType?: string;
  readonly issuer?: string;
}

// CAUTION: public API
/** Budgets that bound an evaluation. */
export interface EvalLimits {
  /** Evaluation steps (claims examined, calls made, claims produced); default 1,000,000. */
  readonly maxSteps?: number;
  /** Nesting depth of function calls; default 64. */
  readonly maxDepth?: number;
  /**
   * The longest String a claim value may be, in UTF-16 code units (input claims, and every
   * String a function builds, `JmesPath`'s JSON text included); default 4,194,304 (4 Mi).
   */
  readonly maxStringLength?: number;
}

// CAUTION: public API
/** Options of `evaluate`. */
export interface EvalOptions {
  /** Trace level; default `off` (no trace is recorded). */
  readonly trace?: TraceLevel;
  readonly limits?: EvalLimits;
}

// CAUTION: public API
/** The outcome of an evaluation. */
export interface EvalResult {
  /** `permit`, `deny`, or `error` when evaluation failed (fail closed). */
  readonly decision: "permit" | "deny" | "error";
  /** The incoming claims at the end: the input plus what rules added. */
  readonly incoming: readonly Claim[];
  /** The issued claims (empty unless the decision is `permit`). */
  readonly outgoing: readonly Claim[];
  /** The properties set by `issueproperty` (empty when the decision is `error`). */
  readonly properties: readonly Claim[];
  /** The outgoing claims as the token shows them: type → value, or an array of the distinct values. */
  readonly token: Record<string, unknown>;
  /** P3xxx (or P9001) diagnostics; an error among them means the decision is `error`. */
  readonly diagnostics: readonly Diagnostic[];
  /** The trace, unless the level is `off`. */
  readonly trace?: readonly TraceEntry[];
}

/** The default budgets. */
export const DEFAULT_LIMITS = { maxSteps: 1_000_000, maxDepth: 64, maxStringLength: 4_194_304 } as const;

/** A String costs one step per this many characters built or produced (on top of the step of its call). */
export const CHARS_PER_STEP = 64;

const NO_CLAIMS: readonly Claim[] = [];
const MAX_TRACE_MATCHED = 20;
const MAX_TRACE_COMPARED = 10;

function isInteger(v: ClaimValue): v is number | bigint {
  const t = typeof v;
  return t === "number" || t === "bigint";
}

/** Compares two values. Different types never compare true; ordering needs two Integers. */
export function compareValues(x: ClaimValue, op: ComparisonOperator, y: ClaimValue): boolean {
  switch (op) {
    case "==":
      return x === y;
    case "!=":
      return x !== y && (typeof x === typeof y || (isInteger(x) && isInteger(y)));
    default:
      if (!isInteger(x) || !isInteger(y)) return false;
      switch (op) {
        case "<":
          return x < y;
        case "<=":
          return x <= y;
        case ">":
          return x > y;
        default:
          return x >= y;
      }
  }
}

function checkLimit(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new TypeError(`limits.${name} must be a positive integer`);
  return v;
}

/** Evaluates a compiled policy over `claims`. Never throws on any claims; throws `TypeError` on malformed options. */
export function evaluate(policy: CompiledPolicy, claims: readonly InputClaim[], options: EvalOptions = {}): EvalResult {
  const level = options.trace ?? "off";
  if (level !== "off" && level !== "rules" && level !== "full") throw new TypeError("trace must be `off`, `rules` or `full`");
  const maxSteps = checkLimit("maxSteps", options.limits?.maxSteps, DEFAULT_LIMITS.maxSteps);
  const maxDepth = checkLimit("maxDepth", options.limits?.maxDepth, DEFAULT_LIMITS.maxDepth);
  const maxStringLength = checkLimit("maxStringLength", options.limits?.maxStringLength, DEFAULT_LIMITS.maxStringLength);
  const run = new Run(policy, maxSteps, maxDepth, maxStringLength, level);
  try {
    run.load(claims);
    for (const r of policy.configuration) run.rule(r);
    let permit = false;
    let deny = false;
    for (const r of policy.authorization) {
      const vote = run.rule(r);
      if (vote === "permit") permit = true;
      else if (vote === "deny") deny = true;
    }
    if (deny || !permit) return run.result("deny", []);
    for (const r of policy.issuance) run.rule(r);
    return run.result("permit", []);
  } catch (e) {
    if (e instanceof EvalFailure) return run.result("error", [diagnostic(e.code, clampRange(e.range, policy.textLength), e.message)]);
    const msg = e instanceof Error ? e.message : String(e);
    return run.result("error", [diagnostic("P9001", { start: 0, end: 0 }, `internal error during evaluation: ${msg}`)]);
  }
}

function clampRange(r: TextRange, length: number): TextRange {
  const start = Math.min(Math.max(0, r.start), length);
  return { start, end: Math.min(Math.max(start, r.end), length) };
}

const ZERO: TextRange = { start: 0, end: 0 };

function makeClaim(type: string, value: ClaimValue, issuer: string, readOnly: boolean, valueType?: ValueType): Claim {
  const vt = valueType ?? valueTypeOf(value);
  return readOnly ? { type, value, valueType: vt, issuer, readOnly: true } : { type, value, valueType: vt, issuer };
}

const VALUE_TYPE_NAMES: Readonly<Record<string, ValueType>> = {
  Boolean: "Boolean",
  Integer: "Integer",
  String: "String",
  "http://www.w3.org/2001/XMLSchema#boolean": "Boolean",
  "http://www.w3.org/2001/XMLSchema#integer": "Integer",
  "http://www.w3.org/2001/XMLSchema#string": "String",
};

/** Converts a value to the type a `valueType=` argument names; undefined when it does not convert. */
export function convertValue(v: ClaimValue, to: ValueType): ClaimValue | undefined {
  switch (to) {
    case "String":
      return typeof v === "string" ? v : String(v);
    case "Integer":
      if (isInteger(v)) return v;
      return typeof v === "string" ? parseIntegerText(v) : undefined;
    case "Boolean":
      if (typeof v === "boolean") return v;
      return v === "true" ? true : v === "false" ? false : undefined;
  }
}

class Run {
  incoming: Claim[] = [];
  outgoing: Claim[] = [];
  properties: Claim[] = [];
  steps = 0;
  readonly trace: TraceEntry[] | undefined;
  readonly full: boolean;
  private current: CompiledRule | undefined;
  private readonly scratch: Claim[][] = [];
  /** The incoming claims by type, in incoming order (conditions with a `type=="…"` test scan only these). */
  private readonly byType = new Map<string, Claim[]>();

  constructor(
    readonly policy: CompiledPolicy,
    readonly maxSteps: number,
    readonly maxDepth: number,
    readonly maxStringLength: number,
    level: TraceLevel,
  ) {
    this.trace = level === "off" ? undefined : [];
    this.full = level === "full";
  }

  result(decision: EvalResult["decision"], diagnostics: Diagnostic[]): EvalResult {
    const ok = decision !== "error";
    const outgoing = decision === "permit" ? this.outgoing : [];
    const r: { -readonly [K in keyof EvalResult]: EvalResult[K] } = {
      decision,
      incoming: this.incoming,
      outgoing,
      properties: ok ? this.properties : [],
      token: tokenView(outgoing),
      diagnostics,
    };
    if (this.trace) r.trace = this.trace;
    return r;
  }

  private where(): string {
    const r = this.current;
    return r ? `in ${r.section} rule ${r.index}` : "in the input claims";
  }

  private step(n: number, range: TextRange): void {
    this.steps += n;
    if (this.steps > this.maxSteps) {
      throw new EvalFailure("P3006", range, `${this.where()}: evaluation exceeded its budget of ${this.maxSteps} steps`);
    }
  }

  /**
   * Charges a String value by its size and checks it against the string budget: `what` says
   * where it came from (`AppendString`, `the input claim 3` …).
   */
  private chargeString(v: string, range: TextRange, what: string): void {
    if (v.length > this.maxStringLength) {
      throw new EvalFailure(
        "P3006",
        range,
        `${this.where()}: ${what}: a String of ${v.length} characters exceeds the limit of ${this.maxStringLength} (limits.maxStringLength)`,
      );
    }
    if (v.length >= CHARS_PER_STEP) this.step(Math.floor(v.length / CHARS_PER_STEP), range);
  }

  load(claims: readonly InputClaim[]): void {
    if (!Array.isArray(claims)) throw new EvalFailure("P3007", ZERO, "the input claims are not a list");
    this.step(claims.length, ZERO);
    for (let i = 0; i < claims.length; i++) {
      const c = inputClaim(claims[i] as unknown, i);
      if (typeof c.value === "string" && c.value.length > this.maxStringLength) this.chargeString(c.value, ZERO, `input claim ${i}`);
      this.addIncoming(c);
    }
  }

  private addIncoming(c: Claim): void {
    this.incoming.push(c);
    const list = this.byType.get(c.type);
    if (list === undefined) this.byType.set(c.type, [c]);
    else list.push(c);
  }

  /**
   * Runs one rule; returns its vote when it fired a permit or a deny in authorizationrules. One
   * path with the trace on or off: with it off, no entry is made and nothing is allocated for it.
   */
  rule(rule: CompiledRule): "permit" | "deny" | undefined {
    this.current = rule;
    const entry = this.trace === undefined ? undefined : this.traceEntry(rule, this.trace);
    try {
      this.step(1, rule.range);
      // INVARIANT: a rule reads a slot only after one of its own conditions bound it (checked by
      // compile), so one scratch array serves every rule without clearing.
      const bound = this.scratch;
      const conds = rule.conditions;
      const traced = entry?.conditions as TraceCondition[] | undefined;
      for (let i = 0; i < conds.length; i++) {
        if (!this.condition(conds[i] as CompiledCondition, bound, traced, i)) return undefined;
      }
      if (entry) entry.fired = true;
      const a = rule.action;
      if (a.effect === "permit" || a.effect === "deny") return a.effect;
      if (a.effect === "none") return undefined;
      const produced = this.act(a, bound);
      if (entry) entry.produced = produced;
      return undefined;
    } catch (e) {
      if (entry && e instanceof Error) entry.error = e.message;
      throw e;
    }
  }

  /** Records the trace entry of a rule about to run. */
  private traceEntry(rule: CompiledRule, trace: TraceEntry[]): { -readonly [K in keyof TraceEntry]: TraceEntry[K] } {
    const entry = {
      section: rule.section,
      rule: rule.index,
      range: rule.range,
      fired: false,
      verb: rule.action.verb,
      effect: rule.action.effect,
    } as { -readonly [K in keyof TraceEntry]: TraceEntry[K] };
    if (rule.action.note !== undefined) entry.note = rule.action.note;
    if (this.full) entry.conditions = [];
    trace.push(entry);
    return entry;
  }

  private condition(c: CompiledCondition, bound: Claim[][], trace: TraceCondition[] | undefined, index: number): boolean {
    const tests = c.tests;
    let operands: ValueSet[] | undefined;
    if (!c.literalOnly) {
      operands = [];
      for (const t of tests) operands.push(t.operand.k === "lit" ? t.operand.set : this.expr(t.operand, bound, 0));
    }
    const incoming = this.incoming;
    const candidates = c.typeKey === undefined ? incoming : (this.byType.get(c.typeKey) ?? NO_CLAIMS);
    const n = candidates.length;
    this.step(n + 1, c.range);
    const collect = c.slot >= 0 || trace !== undefined;
    const matched: Claim[] | undefined = collect ? [] : undefined;
    let any = false;
    for (let i = 0; i < n; i++) {
      const claim = candidates[i] as Claim;
      if (passes(claim, tests, operands)) {
        any = true;
        if (matched === undefined) break;
        matched.push(claim);
      }
    }
    const holds = c.negated ? !any : any;
    if (holds && c.slot >= 0) bound[c.slot] = matched as Claim[];
    if (trace !== undefined) {
      const m = matched as Claim[];
      const t: { -readonly [K in keyof TraceCondition]: TraceCondition[K] } = {
        index,
        range: c.range,
        negated: c.negated,
        binding: c.binding,
        holds,
        matched: m.slice(0, MAX_TRACE_MATCHED),
        matchedCount: m.length,
      };
      if (!any && !c.negated) t.failure = explain(incoming, tests, operands);
      trace.push(t);
    }
    return holds;
  }

  expr(e: Expr, bound: Claim[][], depth: number): ValueSet {
    switch (e.k) {
      case "lit":
        return e.set;
      case "ref": {
        const claims = bound[e.slot] ?? [];
        const values: ClaimValue[] = new Array<ClaimValue>(claims.length);
        let ro: boolean[] | undefined;
        for (let i = 0; i < claims.length; i++) {
          const c = claims[i] as Claim;
          values[i] = c.value;
          if (c.readOnly === true) {
            ro ??= new Array<boolean>(claims.length).fill(false);
            ro[i] = true;
          }
        }
        return { values, ro };
      }
      case "call": {
        if (depth + 1 > this.maxDepth) {
          throw new EvalFailure("P3006", e.range, `${this.where()}: function calls nested deeper than the limit of ${this.maxDepth}`);
        }
        const sets: ValueSet[] = [];
        for (const a of e.args) sets.push(this.expr(a, bound, depth + 1));
        return this.apply(e, sets);
      }
    }
  }

  private apply(call: CallExpr, sets: readonly ValueSet[]): ValueSet {
    const fn = call.fn;
    const params = fn.params;
    let combos = 1;
    for (let i = 0; i < params.length; i++) {
      if (params[i] === "value") combos *= (sets[i] as ValueSet).values.length;
    }
    this.step(Math.min(combos, this.maxSteps + 1), call.range);
    const values: ClaimValue[] = [];
    let ro: boolean[] | undefined;
    if (combos === 0) return EMPTY_SET;
    // Set parameters contribute their read-only flags to every result.
    let setRo = false;
    for (let i = 0; i < params.length; i++) {
      if (params[i] === "set" && (sets[i] as ValueSet).ro?.some((x) => x) === true) setRo = true;
    }
    const idx = new Array<number>(params.length).fill(0);
    const args: BuiltinArg[] = new Array<BuiltinArg>(params.length);
    const budget: CallBudget = { maxStringLength: this.maxStringLength, charge: (n) => this.step(n, call.range) };
    for (let k = 0; k < combos; k++) {
      let argRo = setRo;
      for (let i = 0; i < params.length; i++) {
        const s = sets[i] as ValueSet;
        if (params[i] === "set") args[i] = s.values;
        else {
          args[i] = s.values[idx[i] as number] as ClaimValue;
          if (s.ro !== undefined && s.ro[idx[i] as number] === true) argRo = true;
        }
      }
      if (fn.cost) this.step(fn.cost(args), call.range);
      let out: ClaimValue | readonly ClaimValue[];
      try {
        out = fn.call(args, call.prepared, budget);
      } catch (e) {
        if (e instanceof FunctionError) {
          throw new EvalFailure(e.code, call.range, `${this.where()}: ${fn.name}(${args.map(showArg).join(", ")}): ${e.message}`);
        }
        if (e instanceof RangeError) {
          // JSON is refused beyond its depth budget and Strings beyond theirs before this; what is
          // left is the JavaScript engine's own limit (stack or string length).
          throw new EvalFailure("P3006", call.range, `${this.where()}: ${fn.name}: the engine's limit was reached (${e.message})`);
        }
        throw e;
      }
      if (typeof out === "string") this.chargeString(out, call.range, fn.name);
      else if (Array.isArray(out)) for (const v of out as readonly ClaimValue[]) if (typeof v === "string") this.chargeString(v, call.range, fn.name);
      const r = argRo && fn.propagatesReadOnly;
      if (Array.isArray(out)) {
        for (const v of out as readonly ClaimValue[]) {
          if (r) (ro ??= new Array<boolean>(values.length).fill(false)).push(true);
          else if (ro) ro.push(false);
          values.push(v);
        }
      } else {
        if (r) (ro ??= new Array<boolean>(values.length).fill(false)).push(true);
        else if (ro) ro.push(false);
        values.push(out as ClaimValue);
      }
      // Advance the odometer over the value parameters (the last one fastest).
      for (let i = params.length - 1; i >= 0; i--) {
        if (params[i] !== "value") continue;
        const len = (sets[i] as ValueSet).values.length;
        const next = (idx[i] as number) + 1;
        if (next < len) {
          idx[i] = next;
          break;
        }
        idx[i] = 0;
      }
    }
    return { values, ro };
  }

  private act(a: CompiledAction, bound: Claim[][]): Claim[] {
    const produced: Claim[] = [];
    const issuing = a.effect === "issue" || a.effect === "issueproperty";
    if (a.claimSlot >= 0) {
      const claims = bound[a.claimSlot] ?? [];
      this.step(claims.length, a.range);
      for (const c of claims) {
        if (issuing && c.readOnly === true) this.readOnlyIssued(a, c.type);
        produced.push(makeClaim(c.type, c.value, "AttestationPolicy", c.readOnly === true, c.valueType));
      }
    } else {
      let types: ValueSet = EMPTY_SET;
      let values: ValueSet = EMPTY_SET;
      let valueTypes: ValueSet | undefined;
      let issuers: ValueSet | undefined;
      for (const arg of a.args) {
        const s = arg.expr.k === "lit" ? arg.expr.set : this.expr(arg.expr, bound, 0);
        switch (arg.name) {
          case "type":
            types = s;
            break;
          case "value":
            values = s;
            break;
          case "valueType":
            valueTypes = s;
            break;
          case "issuer":
            issuers = s;
            break;
        }
      }
      const nvt = valueTypes ? valueTypes.values.length : 1;
      const nis = issuers ? issuers.values.length : 1;
      const total = types.values.length * values.values.length * nvt * nis;
      this.step(Math.min(total, this.maxSteps + 1), a.range);
      for (let ti = 0; ti < types.values.length; ti++) {
        const type = types.values[ti] as ClaimValue;
        if (typeof type !== "string") this.badArgument(a, `the claim type must be a String, not ${showValue(type)}`);
        const typeRo = types.ro?.[ti] === true;
        for (let vi = 0; vi < values.values.length; vi++) {
          const value = values.values[vi] as ClaimValue;
          const valueRo = values.ro?.[vi] === true;
          for (let xi = 0; xi < nvt; xi++) {
            let v = value;
            let vtRo = false;
            if (valueTypes) {
              const name = valueTypes.values[xi] as ClaimValue;
              vtRo = valueTypes.ro?.[xi] === true;
              const vt = typeof name === "string" ? VALUE_TYPE_NAMES[name] : undefined;
              if (vt === undefined) this.badArgument(a, `unknown valueType ${showValue(name)}: use \`Boolean\`, \`Integer\` or \`String\``);
              const converted = convertValue(value, vt);
              if (converted === undefined) this.badArgument(a, `value ${showValue(value)} cannot be converted to valueType \`${vt}\``);
              v = converted;
            }
            for (let ii = 0; ii < nis; ii++) {
              let issuer = "AttestationPolicy";
              let isRo = false;
              if (issuers) {
                const x = issuers.values[ii] as ClaimValue;
                if (typeof x !== "string") this.badArgument(a, `the issuer must be a String, not ${showValue(x)}`);
                issuer = x;
                isRo = issuers.ro?.[ii] === true;
              }
              const ro = typeRo || valueRo || vtRo || isRo;
              if (issuing && ro) this.readOnlyIssued(a, type);
              produced.push(makeClaim(type, v, issuer, ro));
            }
          }
        }
      }
    }
    for (const c of produced) {
      // What a rule produces is output (the token, the JSON): its size is charged too.
      if (typeof c.value === "string" && c.value.length >= CHARS_PER_STEP) this.chargeString(c.value, a.range, `\`${a.verb}\``);
      this.addIncoming(c);
      if (a.effect === "issue") this.outgoing.push(c);
      else if (a.effect === "issueproperty") this.properties.push(c);
    }
    return produced;
  }

  private badArgument(a: CompiledAction, message: string): never {
    throw new EvalFailure("P3008", a.range, `${this.where()}: \`${a.verb}\`: ${message}`);
  }

  private readOnlyIssued(a: CompiledAction, type: string): never {
    throw new EvalFailure(
      "P3005",
      a.range,
      `${this.where()}: \`${a.verb}\` of claim \`${type}\`: its value is derived from a read-only claim and may not be issued`,
    );
  }
}

function showArg(a: BuiltinArg): string {
  if (Array.isArray(a)) {
    const items = (a as readonly ClaimValue[]).slice(0, 5).map((v) => showValue(v, 40));
    return `{${items.join(", ")}${a.length > 5 ? ", …" : ""}}`;
  }
  return showValue(a as ClaimValue, 60);
}

function propertyOf(claim: Claim, t: CompiledTest): ClaimValue {
  const p = t.property;
  return p === "type" ? claim.type : p === "value" ? claim.value : claim.issuer;
}

function passes(claim: Claim, tests: readonly CompiledTest[], operands: readonly ValueSet[] | undefined): boolean {
  for (let i = 0; i < tests.length; i++) {
    const t = tests[i] as CompiledTest;
    const x = propertyOf(claim, t);
    const op = t.operand;
    if (op.k === "lit") {
      // The common case, `type=="…"`, without the general comparison.
      if (t.operator === "==") {
        if (x !== op.value) return false;
      } else if (!compareValues(x, t.operator, op.value)) return false;
    } else {
      const vs = (operands as readonly ValueSet[])[i] as ValueSet;
      let ok = false;
      for (const y of vs.values) {
        if (compareValues(x, t.operator, y)) {
          ok = true;
          break;
        }
      }
      if (!ok) return false;
    }
  }
  return true;
}

/** Finds the first test that leaves no candidate claim (level `full` only). */
function explain(incoming: readonly Claim[], tests: readonly CompiledTest[], operands: readonly ValueSet[] | undefined): TraceTestFailure {
  let candidates: readonly Claim[] = incoming;
  if (candidates.length === 0 || tests.length === 0) {
    return { test: -1, range: undefined, property: undefined, operator: undefined, expected: [], compared: [], candidates: 0 };
  }
  for (let i = 0; i < tests.length; i++) {
    const t = tests[i] as CompiledTest;
    const one = [t];
    const ops = operands ? [operands[i] as ValueSet] : undefined;
    const next = candidates.filter((c) => passes(c, one, ops));
    if (next.length === 0) {
      const expected = t.operand.k === "lit" ? [t.operand.value] : [...((operands as readonly ValueSet[])[i] as ValueSet).values];
      return {
        test: i,
        range: t.range,
        property: t.property,
        operator: t.operator,
        expected: expected.slice(0, MAX_TRACE_MATCHED),
        compared: candidates.slice(0, MAX_TRACE_COMPARED).map((claim) => ({ claim, actual: propertyOf(claim, t) })),
        candidates: candidates.length,
      };
    }
    candidates = next;
  }
  // Unreachable when the condition matched nothing; kept total.
  return { test: -1, range: undefined, property: undefined, operator: undefined, expected: [], compared: [], candidates: candidates.length };
}

/** The token view: each outgoing type maps to its value, or to the array of its distinct values. */
export function tokenView(outgoing: readonly Claim[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let multi: Map<string, ClaimValue[]> | undefined;
  for (let i = 0; i < outgoing.length; i++) {
    const c = outgoing[i] as Claim;
    const t = c.type;
    if (!Object.prototype.hasOwnProperty.call(out, t)) {
      setMember(out, t, jsonValue(c.value));
      continue;
    }
    multi ??= new Map();
    let vs = multi.get(t);
    if (vs === undefined) {
      // INVARIANT: an earlier claim of type `t` exists, since `out` has the member.
      vs = [(outgoing.find((x) => x.type === t) as Claim).value];
      multi.set(t, vs);
    }
    if (!vs.includes(c.value)) vs.push(c.value);
  }
  if (multi !== undefined) {
    for (const [t, vs] of multi) setMember(out, t, vs.length === 1 ? jsonValue(vs[0] as ClaimValue) : vs.map(jsonValue));
  }
  return out;
}

/** Sets an own data member, even one named `__proto__`. */
function setMember(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/** Validates and normalises one input claim (the rule every input form shares); throws a P3007 failure naming it. */
function inputClaim(x: unknown, i: number): Claim {
  const r = checkInputClaim(x);
  if (r.claim === undefined) {
    const p = r.problems[0] as ClaimProblem;
    throw new EvalFailure("P3007", ZERO, `input claim ${i}: ${p.member === undefined ? "" : `\`${p.member}\`: `}${p.message}`);
  }
  const c = r.claim;
  return makeClaim(c.type, c.value, c.issuer ?? "CustomClaim", READ_ONLY_CLAIM_TYPES.has(c.type));
}
