/**
 * The typed syntax tree of a policy.
 *
 * Every node is an immutable value discriminated by `kind`, with a half-open UTF-16 `range` that
 * lies within its parent's. There are no parent pointers. Comments are not children: they live on
 * the side in `PolicyFile.comments`. Where the parser recovered from a mistake the tree holds an
 * `ErrorNode` (its diagnostic has already been reported; later phases skip it silently).
 */
import type { TextRange } from "../text/text-range.js";
import type { ArgumentName, ActionName, ComparisonOperator, PropertyName, SectionName } from "./tokens.js";

interface NodeBase<K extends string> {
  readonly kind: K;
  readonly range: TextRange;
}

// CAUTION: public API
/** A whole policy document. */
export interface PolicyFile extends NodeBase<"PolicyFile"> {
  /** The `version=…;` statement, or undefined when the document has none. */
  readonly version: VersionDecl | undefined;
  /** The sections in source order, whatever their names (order and duplicates are checked later). */
  readonly sections: readonly Section[];
  /** Every `//` comment (and every erroneous block comment), in source order. */
  readonly comments: readonly Comment[];
  /** Whether the text starts with a byte-order mark. */
  readonly bom: boolean;
}

// CAUTION: public API
/** `version=1.2;` */
export interface VersionDecl extends NodeBase<"VersionDecl"> {
  /** The version as written, e.g. `1.2`; empty when missing. */
  readonly value: string;
  readonly valueRange: TextRange;
  /** The major and minor numbers, or undefined when the value is not `N.N`. */
  readonly major: number | undefined;
  readonly minor: number | undefined;
}

// CAUTION: public API
/** `authorizationrules { … };` */
export interface Section extends NodeBase<"Section"> {
  /** The section's name, or undefined when the written name is not a section keyword. */
  readonly name: SectionName | undefined;
  /** The name as written (`Issuancerules`, `authizationrules`, …). */
  readonly nameText: string;
  readonly nameRange: TextRange;
  readonly rules: readonly (Rule | ErrorNode)[];
  /** The range of the body from `{` to `}` inclusive (zero-width when the braces are missing). */
  readonly bodyRange: TextRange;
}

// CAUTION: public API
/** `c:[…] && […] => action(…);` */
export interface Rule extends NodeBase<"Rule"> {
  /** The conditions joined by `&&`; empty for `=> permit();`. */
  readonly conditions: readonly Condition[];
  /** The range of the `=>` (zero-width when it is missing). */
  readonly arrowRange: TextRange;
  readonly action: Action | ErrorNode;
}

// CAUTION: public API
/** `!c:[type=="x", value==true]` */
export interface Condition extends NodeBase<"Condition"> {
  readonly negated: boolean;
  /** The identifier that binds the claims this condition matches: the `c` of `c:[…]`. */
  readonly binding: Identifier | undefined;
  readonly tests: readonly (Test | ErrorNode)[];
  /** The range from `[` to `]` inclusive. */
  readonly bracketRange: TextRange;
}

// CAUTION: public API
/** `type=="x"`, `value>=2`, `issuer=="AttestationService"` */
export interface Test extends NodeBase<"Test"> {
  /** The property tested, or undefined when the written name is not one. */
  readonly property: PropertyName | undefined;
  readonly propertyText: string;
  readonly propertyRange: TextRange;
  /** The operator; a mistaken `=` is recorded as `==` (with a diagnostic). */
  readonly operator: ComparisonOperator;
  readonly operatorRange: TextRange;
  readonly operand: Expr;
}

// CAUTION: public API
/** `permit()`, `issue(type="t", value=c.value)`, `issue(claim=c)`, … */
export interface Action extends NodeBase<"Action"> {
  /** The verb, or undefined when the written name is not one (`premit`). */
  readonly verb: ActionName | undefined;
  readonly verbText: string;
  readonly verbRange: TextRange;
  /** The arguments in source order. */
  readonly args: readonly Argument[];
  /** The range from `(` to `)` inclusive. */
  readonly parenRange: TextRange;
}

// CAUTION: public API
/** `type="t"`, `value=c.value`, `claim=c`; or a positional argument (an error) when `name` is undefined. */
export interface Argument extends NodeBase<"Argument"> {
  readonly name: ArgumentName | undefined;
  /** The name as written; empty for a positional argument. */
  readonly nameText: string;
  readonly nameRange: TextRange;
  readonly value: Expr;
}

// CAUTION: public API
/** An expression: a literal, `c.value`, an identifier (as in `claim=c`) or a function call. */
export type Expr = StringLiteral | IntegerLiteral | BooleanLiteral | ValueRef | Identifier | Call | ErrorNode;

// CAUTION: public API
/** `"text"`; `value` holds the text with escapes resolved. */
export interface StringLiteral extends NodeBase<"StringLiteral"> {
  readonly value: string;
}

// CAUTION: public API
/** `42`; `value` is exact for safe integers, `raw` always holds the digits as written. */
export interface IntegerLiteral extends NodeBase<"IntegerLiteral"> {
  readonly value: number;
  readonly raw: string;
}

// CAUTION: public API
/** `true` or `false`. */
export interface BooleanLiteral extends NodeBase<"BooleanLiteral"> {
  readonly value: boolean;
}

// CAUTION: public API
/** `c.value`: the values of the claims bound to `c`. */
export interface ValueRef extends NodeBase<"ValueRef"> {
  readonly identifier: Identifier;
  /** The range of the `value` after the dot. */
  readonly propertyRange: TextRange;
}

// CAUTION: public API
/** A claim variable: `c` in `c:[…]`, `c.value`, `claim=c`. */
export interface Identifier extends NodeBase<"Identifier"> {
  readonly name: string;
}

// CAUTION: public API
/** `JmesPath(c.value, "query")` */
export interface Call extends NodeBase<"Call"> {
  readonly callee: string;
  readonly calleeRange: TextRange;
  readonly args: readonly Expr[];
  /** The range from `(` to `)` inclusive. */
  readonly parenRange: TextRange;
}

// CAUTION: public API
/** A `//` comment (or an erroneous block comment) with its text, markers included. */
export interface Comment extends NodeBase<"Comment"> {
  readonly text: string;
  /** Whether it is a block comment (not part of the language: reported as an error). */
  readonly block: boolean;
}

// CAUTION: public API
/** Produced by error recovery; its diagnostic has already been reported. */
export interface ErrorNode extends NodeBase<"ErrorNode"> {}

// CAUTION: public API
/** Every node type. */
export type Node =
  | PolicyFile
  | VersionDecl
  | Section
  | Rule
  | Condition
  | Test
  | Action
  | Argument
  | StringLiteral
  | IntegerLiteral
  | BooleanLiteral
  | ValueRef
  | Identifier
  | Call
  | Comment
  | ErrorNode;

/** Every node kind. */
export type NodeKind = Node["kind"];
