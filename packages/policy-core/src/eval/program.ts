/**
 * The compiled form of a policy: what `compile()` produces and `evaluate()` runs. Plain,
 * immutable data built once; evaluation never looks at the syntax tree again.
 */
import type { ActionName, ComparisonOperator, PropertyName, SectionName } from "../syntax/tokens.js";
import type { TextRange } from "../text/text-range.js";
import type { Builtin } from "./builtins/builtin.js";
import type { ClaimValue, ValueSet } from "./value.js";

/** A literal: its value, and the one-element set it evaluates to. */
export interface LiteralExpr {
  readonly k: "lit";
  readonly value: ClaimValue;
  readonly set: ValueSet;
  readonly range: TextRange;
}

/** `c.value`: the values of the claims bound to slot `slot`. */
export interface RefExpr {
  readonly k: "ref";
  readonly slot: number;
  readonly name: string;
  readonly range: TextRange;
}

/** A function call. */
export interface CallExpr {
  readonly k: "call";
  readonly fn: Builtin;
  readonly args: readonly Expr[];
  /** What the builtin prepared from literal arguments at compile time. */
  readonly prepared: unknown;
  readonly range: TextRange;
  /** The nesting depth of this call (1 for a call whose arguments hold no call). */
  readonly depth: number;
}

/** A compiled expression. */
export type Expr = LiteralExpr | RefExpr | CallExpr;

/** One test of a condition: `value >= 2`. */
export interface CompiledTest {
  readonly property: PropertyName;
  readonly operator: ComparisonOperator;
  readonly operand: Expr;
  readonly range: TextRange;
}

/** One condition: `c:[type=="x", value==true]` or `![…]`. */
export interface CompiledCondition {
  readonly negated: boolean;
  /** The slot of the identifier this condition binds, or -1. */
  readonly slot: number;
  readonly binding: string | undefined;
  readonly tests: readonly CompiledTest[];
  /** Whether every operand is a literal (the fast path). */
  readonly literalOnly: boolean;
  /** The type of a `type=="…"` test with a literal String, if any: only claims of that type can match. */
  readonly typeKey: string | undefined;
  readonly range: TextRange;
}

/** What an action does where it stands (a verb outside its sections behaves as `add`). */
export type Effect = "permit" | "deny" | "add" | "issue" | "issueproperty" | "none";

/** A compiled action. */
export interface CompiledAction {
  readonly verb: ActionName;
  readonly effect: Effect;
  /** Set when the verb behaves differently from its name because of the section it is in. */
  readonly note: string | undefined;
  /** `claim=c`: the slot of `c`; -1 for the `type=…, value=…` form. */
  readonly claimSlot: number;
  /** The `type=…, value=…` form: the arguments in source order. */
  readonly args: readonly { readonly name: "type" | "value" | "valueType" | "issuer"; readonly expr: Expr }[];
  readonly range: TextRange;
}

/** A compiled rule. */
export interface CompiledRule {
  readonly section: SectionName;
  /** One-based position of the rule in its section. */
  readonly index: number;
  readonly range: TextRange;
  readonly conditions: readonly CompiledCondition[];
  readonly action: CompiledAction;
  /** How many identifiers the rule binds. */
  readonly slots: number;
}

// CAUTION: public API
/** A policy compiled for evaluation: build it once with `compile`, evaluate it many times. */
export interface CompiledPolicy {
  /** The declared version (`1.2`); an unknown version is evaluated as 1.2. */
  readonly version: string;
  readonly configuration: readonly CompiledRule[];
  readonly authorization: readonly CompiledRule[];
  readonly issuance: readonly CompiledRule[];
  /** Every rule, in evaluation order. */
  readonly rules: readonly CompiledRule[];
  /** The length of the source text (diagnostic ranges stay within it). */
  readonly textLength: number;
}
