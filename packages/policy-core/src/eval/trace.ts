/**
 * The evaluation trace: for each rule evaluated, whether it fired and why, and what its action
 * produced. Level `rules` records rules and actions; level `full` adds, per condition, the claims
 * it matched or, when it failed, the first test that failed and the values compared.
 */
import type { ActionName, ComparisonOperator, PropertyName, SectionName } from "../syntax/tokens.js";
import type { TextRange } from "../text/text-range.js";
import type { Effect } from "./program.js";
import type { Claim, ClaimValue } from "./value.js";

// CAUTION: public API
/** How much the evaluator records: nothing, rules and actions, or everything. */
export type TraceLevel = "off" | "rules" | "full";

// CAUTION: public API
/** One claim that a failed test was compared against. */
export interface TraceComparison {
  readonly claim: Claim;
  /** The claim's property that was tested. */
  readonly actual: ClaimValue;
}

// CAUTION: public API
/** Why a (non-negated) condition matched no claim. */
export interface TraceTestFailure {
  /** Zero-based index of the first test that left no claim, or -1 when there were no claims at all. */
  readonly test: number;
  readonly range: TextRange | undefined;
  readonly property: PropertyName | undefined;
  readonly operator: ComparisonOperator | undefined;
  /** The operand's values (the right-hand side). */
  readonly expected: readonly ClaimValue[];
  /** The claims that passed the earlier tests and failed this one (at most 10), with their tested property. */
  readonly compared: readonly TraceComparison[];
  /** How many claims were compared in total. */
  readonly candidates: number;
}

// CAUTION: public API
/** One condition of a rule, as evaluated (level `full`). */
export interface TraceCondition {
  /** Zero-based index in the rule. */
  readonly index: number;
  readonly range: TextRange;
  readonly negated: boolean;
  readonly binding: string | undefined;
  /** Whether the condition held. */
  readonly holds: boolean;
  /** The claims that passed all its tests (at most 20). */
  readonly matched: readonly Claim[];
  /** How many claims passed all its tests. */
  readonly matchedCount: number;
  /** For a non-negated condition that matched nothing: the first failing test and the values compared. */
  readonly failure?: TraceTestFailure;
}

// CAUTION: public API
/** One evaluated rule. */
export interface TraceEntry {
  readonly section: SectionName;
  /** One-based position of the rule in its section. */
  readonly rule: number;
  readonly range: TextRange;
  /** Whether all conditions held and the action ran. */
  readonly fired: boolean;
  readonly verb: ActionName;
  /** What the verb did where it stands (`add` for `issue` in authorizationrules …). */
  readonly effect: Effect;
  /** Set when the verb behaved differently from its name because of its section. */
  readonly note?: string;
  /** The claims the action created (add, issue, issueproperty). */
  readonly produced?: readonly Claim[];
  /** The conditions, up to the first that failed (level `full`). */
  readonly conditions?: readonly TraceCondition[];
  /** The failure that stopped evaluation in this rule. */
  readonly error?: string;
}
