/**
 * The shape of a rule's summary (made by `rule-summary.ts`): a module of types only, so that the
 * check context can name it without an import cycle.
 */
import type { ClaimInfo } from "../claims/catalog.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { ActionName } from "../syntax/tokens.js";
import type { TextRange } from "../text/text-range.js";

/** A condition's literal claim type test, with where the literal is. */
export interface TypeTest {
  readonly type: string;
  readonly range: TextRange;
}

/** A type test of a catalogued claim that not every attestation type produces. */
export interface TypedTest extends TypeTest {
  readonly info: ClaimInfo;
}

/** What the whole-policy checks need to know about one rule. */
export interface RuleSummary {
  /** The rule's start offset when this summary was made (its ranges are relative to it). */
  readonly base: number;
  /** The rule's length (a reused summary must describe a rule of the same length). */
  readonly length: number;
  /** The claim types the rule may add (`undefined`: a type not visible statically). */
  readonly added: readonly (string | undefined)[];
  /** Type tests of conditions requiring `issuer=="AttestationService"` of a claim no attestation type produces (P2021 candidates). */
  readonly unknownServiceTests: readonly TypeTest[];
  /** Type tests of non-negated conditions requiring `issuer=="AttestationPolicy"` (P2024 candidates). */
  readonly policyTests: readonly TypeTest[];
  /** Type tests, without an issuer or with the service's, of catalogued claims not produced for every attestation type (attestation type inference and P2038). */
  readonly typedTests: readonly TypedTest[];
  /** The verb of the parsed action, or undefined. */
  readonly verb: ActionName | undefined;
  readonly unconditional: boolean;
  /** Whether a condition can never be true. */
  readonly neverFires: boolean;
  /** The claim type the action produces with a literal `type=`. */
  readonly produced: string | undefined;
  /** The rule's text without whitespace and comments outside strings, roughly (the duplicate-rule key). */
  readonly rough: string;
  /** What the action's value may derive from: the bound identifiers with the claim type they test, and the identifiers the value and claim arguments use, in order. */
  readonly taint: { readonly bound: readonly { readonly name: string; readonly type: string | undefined; readonly readOnly: boolean }[]; readonly uses: readonly string[]; readonly valueRange: TextRange } | undefined;
  /** Memoised diagnostics of this rule (they depend on the rule only), by key. */
  readonly memo: Map<string, Diagnostic>;
}

