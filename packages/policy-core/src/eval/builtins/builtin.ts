/**
 * The shape of a claim function (a builtin). Each function lives in its own file; the evaluator
 * applies the set semantics: a parameter of kind `value` receives one element at a time (every
 * combination of the elements of the argument sets is tried, and the results form a set), a
 * parameter of kind `set` receives the whole set.
 */
import type { FunctionName } from "../../syntax/tokens.js";
import type { ClaimValue } from "../value.js";

/** What a parameter receives: one value at a time, or the whole set. */
export type ParamKind = "value" | "set";

/** An argument as a builtin receives it. */
export type BuiltinArg = ClaimValue | readonly ClaimValue[];

/**
 * The budgets a call runs under: `charge(n)` spends `n` evaluation steps (and throws when the
 * step budget is exhausted); `maxStringLength` caps every String a call builds.
 */
export interface CallBudget {
  readonly maxStringLength: number;
  charge(steps: number): void;
}

/** A claim function. */
export interface Builtin {
  readonly name: FunctionName;
  readonly params: readonly ParamKind[];
  /** Whether the result is read-only when an argument is (false: the result is never read-only). */
  readonly propagatesReadOnly: boolean;
  /**
   * Prepares literal arguments once, at compile time (the JMESPath query). Receives the literal
   * value of each argument, or undefined for an argument that is not a literal.
   */
  readonly prepare?: (literals: readonly (ClaimValue | undefined)[]) => unknown;
  /** Extra evaluation steps a call costs (on top of one), from its arguments. */
  readonly cost?: (args: readonly BuiltinArg[]) => number;
  /**
   * Computes the result: one value, or a set (an array). Throws `FunctionError` on bad input.
   * `prepared` is what `prepare` returned. Work that grows with what it builds inside one call
   * (a JMESPath search) is charged to `budget` as it happens; the Strings it returns are
   * charged and checked against `budget.maxStringLength` by the evaluator.
   */
  readonly call: (args: readonly BuiltinArg[], prepared: unknown, budget: CallBudget) => ClaimValue | readonly ClaimValue[];
}

/** A short description of a value's type for messages (`a String`, `an Integer`, `a Boolean`). */
export function describeType(v: BuiltinArg): string {
  if (Array.isArray(v)) return "a set";
  switch (typeof v) {
    case "boolean":
      return "a Boolean";
    case "string":
      return "a String";
    default:
      return "an Integer";
  }
}
