/**
 * The grammar of the policy language, as a Chevrotain parser with embedded actions. This is the
 * executable definition of the syntax; `../../../../docs/grammar.md` explains it in EBNF.
 *
 * The grammar is deliberately more lenient than the language: it accepts the mistakes found in
 * published policies (an identifier where a keyword belongs, `=` for `==`, `authorizationrules = {`,
 * a missing `=>`, positional arguments, stray tokens) so that lowering can report each one once,
 * precisely, with a fix, and keep the rest of the tree intact.
 *
 * Error recovery: inner rules do not re-synchronise; an error propagates to the enclosing
 * statement (version, section or rule), which re-synchronises, and the statement loops skip stray
 * tokens one at a time (`AnyToken`). Lowering groups what was skipped into one diagnostic.
 *
 * Output: a parse tree of small typed nodes (`PolicyNode` and friends below), one per rule
 * invocation, holding the tokens the rule consumed under fixed fields and the span of its own real
 * tokens. It carries exactly what Chevrotain's CST carried for lowering (same nodes, same tokens,
 * the same partial nodes after an error, `recovered` where the CST had `recoveredNode`), without
 * the CST's label dictionaries, which cost most of the parse (issue 14). The partial-node logic
 * of Chevrotain's CST mode is reproduced in `invokeRuleCatch` and `subruleInternalError`.
 */
import {
  EmbeddedActionsParser,
  EOF,
  isRecognitionException,
  type ILookaheadStrategy,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from "chevrotain";
import type { ErrorNode, Rule } from "./ast.js";
import { DispatchLookahead } from "./lookahead.js";
import {
  ActionKeyword,
  AndAnd,
  AnyToken,
  Arrow,
  Assign,
  Bang,
  BooleanLiteral,
  ClaimKw,
  Colon,
  Comma,
  Comparison,
  Dot,
  Identifier,
  IntegerLike,
  IssuerKw,
  LBrace,
  LBracket,
  LParen,
  Placeholder,
  PropertyKeyword,
  RBrace,
  RBracket,
  RParen,
  SectionKeyword,
  Semicolon,
  StringLike,
  TypeKw,
  ValueKw,
  ValueTypeKw,
  VersionKw,
  allTokens,
} from "./tokens.js";

/** Structured error information, passed through Chevrotain's message provider as JSON. */
export interface ParseErrorInfo {
  readonly kind: "mismatch" | "noViableAlt" | "earlyExit" | "notAllInput";
  /** Names of the token types that would have been accepted. */
  readonly expected: readonly string[];
  readonly ruleName: string;
}

const messageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, ruleName }) {
    return JSON.stringify({ kind: "mismatch", expected: [expected.name], ruleName } satisfies ParseErrorInfo);
  },
  buildNotAllInputParsedMessage({ ruleName }) {
    return JSON.stringify({ kind: "notAllInput", expected: [], ruleName } satisfies ParseErrorInfo);
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, ruleName }) {
    const expected = new Set<string>();
    for (const alt of expectedPathsPerAlt) for (const path of alt) if (path[0]) expected.add(path[0].name);
    return JSON.stringify({ kind: "noViableAlt", expected: [...expected], ruleName } satisfies ParseErrorInfo);
  },
  buildEarlyExitMessage({ expectedIterationPaths, ruleName }) {
    const expected = new Set<string>();
    for (const path of expectedIterationPaths) if (path[0]) expected.add(path[0].name);
    return JSON.stringify({ kind: "earlyExit", expected: [...expected], ruleName } satisfies ParseErrorInfo);
  },
};

const NO_RESYNC = { resyncEnabled: false } as const;

/** Tokens of lookahead the grammar's decisions may use. */
export const MAX_LOOKAHEAD = 3;

function isType(t: IToken, type: TokenType): boolean {
  return t.tokenType === type || (t.tokenType.CATEGORIES?.includes(type) ?? false);
}

/** The parser state that `getFollowsForInRuleRecovery` reads (Chevrotain 11.2.0, not in its types). */
interface ChevrotainRecoveryInternals {
  readonly RULE_STACK: readonly number[];
  readonly RULE_STACK_IDX: number;
  readonly RULE_OCCURRENCE_STACK: readonly number[];
}

/** Chevrotain's own computation of the follows for in-rule recovery (a grammar walk). */
const chevrotainFollowsForInRuleRecovery = (
  EmbeddedActionsParser.prototype as unknown as { getFollowsForInRuleRecovery(this: EmbeddedActionsParser, tokType: TokenType, tokIdxInRule: number): TokenType[] }
).getFollowsForInRuleRecovery;

/** Grammar paths whose in-rule recovery follows are kept (nested calls make many paths). */
const MAX_FOLLOWS_CACHED = 4096;

/** Where a node's own real tokens (not its sub-rules') start and end; `end` is -1 while it has none. */
interface Span {
  start: number;
  end: number;
  /** Re-synchronised after an error (Chevrotain's `recoveredNode`): the node is partial. */
  recovered: boolean;
}

/** The tokens a rule consumed under one name (a label of the former CST) are a field or a list. */
export interface PolicyNode extends Span {
  readonly kind: "policy";
  readonly versions: VersionNode[];
  readonly sections: SectionNode[];
  /** Stray tokens (`;` and others), in order. */
  readonly strays: IToken[];
}
export interface VersionNode extends Span {
  readonly kind: "version";
  keyword: IToken | undefined;
  value: IToken | undefined;
}
export interface SectionNode extends Span {
  readonly kind: "section";
  name: IToken | undefined;
  equals: IToken | undefined;
  lbrace: IToken | undefined;
  rbrace: IToken | undefined;
  readonly strays: IToken[];
  /** The section's rules, lowered as soon as each is parsed (`RuleLowering`). */
  readonly rules: (Rule | ErrorNode)[];
}
export interface RuleListNode extends Span {
  readonly kind: "ruleList";
  readonly rules: (Rule | ErrorNode)[];
}
export interface RuleNode extends Span {
  readonly kind: "rule";
  readonly conditions: ConditionNode[];
  /** The `&&` tokens, in order. */
  readonly ands: IToken[];
  arrow: IToken | undefined;
  action: ActionNode | undefined;
}
export interface ConditionNode extends Span {
  readonly kind: "condition";
  bang: IToken | undefined;
  binding: IToken | undefined;
  colon: IToken | undefined;
  lbracket: IToken | undefined;
  rbracket: IToken | undefined;
  readonly tests: TestNode[];
}
export interface TestNode extends Span {
  readonly kind: "test";
  property: IToken | undefined;
  operator: IToken | undefined;
  expr: ExprNode | undefined;
}
export interface ActionNode extends Span {
  readonly kind: "action";
  verb: IToken | undefined;
  lparen: IToken | undefined;
  rparen: IToken | undefined;
  readonly args: ArgumentNode[];
}
export interface ArgumentNode extends Span {
  readonly kind: "argument";
  name: IToken | undefined;
  equals: IToken | undefined;
  expr: ExprNode | undefined;
}
export interface ExprNode extends Span {
  readonly kind: "expr";
  literal: IToken | undefined;
  callee: IToken | undefined;
  lparen: IToken | undefined;
  rparen: IToken | undefined;
  /** A call's arguments; undefined when there are none. */
  args: ExprNode[] | undefined;
  identifier: IToken | undefined;
  dot: IToken | undefined;
  member: IToken | undefined;
}
export type ParseNode = PolicyNode | VersionNode | SectionNode | RuleListNode | RuleNode | ConditionNode | TestNode | ActionNode | ArgumentNode | ExprNode;

/** Whether a token was in the input (not inserted by recovery, not the stand-in token Chevrotain's grammar recording phase returns). */
export function isReal(t: IToken | undefined): t is IToken {
  return t !== undefined && !t.isInsertedInRecovery && Number.isFinite(t.startOffset);
}

/** Records a token consumed by `node` in its own span; returns the token. */
function own(node: Span, t: IToken): IToken {
  if (isReal(t)) {
    if (t.startOffset < node.start) node.start = t.startOffset;
    const e = t.startOffset + t.image.length;
    if (e > node.end) node.end = e;
  }
  return t;
}

const NO_SPAN = Number.POSITIVE_INFINITY;

/**
 * Lowers a rule's parse node to the AST (`lower.ts`), or to nothing when recovery left it without
 * a real token. The parser hands it each rule as soon as the rule is parsed (a partial one
 * included), so that the rule's parse nodes die young instead of living, with the whole parse
 * tree, until the end of the parse: most of the parse's garbage-collection cost (issue 14).
 */
export interface RuleLowering {
  rule(node: RuleNode): Rule | ErrorNode | undefined;
}

/** A recognition exception carrying the partial node of a statement that could not re-synchronise. */
interface WithPartialNode {
  partialNode?: ParseNode | undefined;
}

/** The policy parser. One instance is reused; `parseTokens` resets it for each input. */
export class PolicyParser extends EmbeddedActionsParser {
  /** The nodes of the rules being parsed, innermost last (Chevrotain's `CST_STACK`). */
  private nodeStack: ParseNode[] = [];
  /** Where parsed rules go; undefined during Chevrotain's grammar recording (`performSelfAnalysis`). */
  lowering: RuleLowering | undefined;

  /** `lookahead`: the decisions' strategy; Chevrotain's own `LLkLookaheadStrategy` gives the same answers, slower (a test compares them). */
  constructor(lookahead: ILookaheadStrategy = new DispatchLookahead({ maxLookahead: MAX_LOOKAHEAD })) {
    super(allTokens, {
      recoveryEnabled: true,
      maxLookahead: MAX_LOOKAHEAD,
      lookaheadStrategy: lookahead,
      errorMessageProvider: messageProvider,
      skipValidations: true,
    });
    this.performSelfAnalysis();
    this.nodeStack = [];
  }

  /** @internal Chevrotain's reset for a new input: no node is open. */
  override reset(): void {
    super.reset();
    this.nodeStack = [];
  }

  /** Pushes the node of the rule being entered (popped in `ruleFinallyStateUpdate`). */
  private open<T extends ParseNode>(node: T): T {
    this.nodeStack.push(node);
    return node;
  }

  /** The node of the rule being parsed (closures read it here, so that they are created once). */
  private top<T extends ParseNode>(): T {
    return this.nodeStack[this.nodeStack.length - 1] as T;
  }

  // The alternatives and bodies of the rules below are created once per parser, not on every rule
  // invocation (Chevrotain's performance guide: "caching arrays of alternatives"); they find the
  // node they fill with `top()`.

  private readonly policyAlts = [
    { GATE: () => this.atVersionStart(), ALT: () => { const v = this.SUBRULE(this.versionStatement); this.top<PolicyNode>().versions.push(v); } },
    { GATE: () => this.atSectionStart(), ALT: () => { const s = this.SUBRULE(this.section); this.top<PolicyNode>().sections.push(s); } },
    { ALT: () => { const n = this.top<PolicyNode>(); n.strays.push(own(n, this.CONSUME(Semicolon))); } },
    { ALT: () => { const n = this.top<PolicyNode>(); n.strays.push(own(n, this.CONSUME(AnyToken))); } },
  ];
  private readonly policyItem = () => this.OR({ IGNORE_AMBIGUITIES: true, DEF: this.policyAlts });

  /** policy = { version | section | ";" | stray token } */
  public policy = this.RULE("policy", (): PolicyNode => {
    const n = this.open<PolicyNode>({ kind: "policy", start: NO_SPAN, end: -1, recovered: false, versions: [], sections: [], strays: [] });
    this.MANY(this.policyItem);
    return n;
  });

  private readonly versionAlts = [
    { ALT: () => { const n = this.top<VersionNode>(); n.keyword = own(n, this.CONSUME(VersionKw)); } },
    { ALT: () => { const n = this.top<VersionNode>(); n.keyword = own(n, this.CONSUME(Identifier)); } },
  ];

  /** version = ("version" | misspelling) "=" NUMBER ";" */
  public versionStatement = this.RULE("versionStatement", (): VersionNode => {
    const n = this.open<VersionNode>({ kind: "version", start: NO_SPAN, end: -1, recovered: false, keyword: undefined, value: undefined });
    this.OR(this.versionAlts);
    own(n, this.CONSUME(Assign));
    n.value = own(n, this.CONSUME(IntegerLike));
    own(n, this.CONSUME(Semicolon));
    return n;
  });

  private readonly sectionNameAlts = [
    { ALT: () => { const n = this.top<SectionNode>(); n.name = own(n, this.CONSUME(SectionKeyword)); } },
    { ALT: () => { const n = this.top<SectionNode>(); n.name = own(n, this.CONSUME(Identifier)); } },
  ];
  private readonly sectionEquals = () => { const n = this.top<SectionNode>(); n.equals = own(n, this.CONSUME(Assign)); };
  private readonly sectionItemAlts = [
    { GATE: () => this.atRuleStart(), ALT: () => { const r = this.SUBRULE(this.rule); this.keepRule(this.top<SectionNode>(), r); } },
    { ALT: () => { const n = this.top<SectionNode>(); n.strays.push(own(n, this.CONSUME2(Semicolon))); } },
    { ALT: () => { const n = this.top<SectionNode>(); n.strays.push(own(n, this.CONSUME2(AnyToken))); } },
  ];
  private readonly sectionBody = {
    GATE: () => {
      const t = this.LA(1).tokenType;
      return t !== RBrace && t !== EOF && !this.atSectionStart();
    },
    DEF: () => this.OR2({ IGNORE_AMBIGUITIES: true, DEF: this.sectionItemAlts }),
  };

  /** section = name ["="] "{" { rule | ";" | stray token } "}" ";" */
  public section = this.RULE("section", (): SectionNode => {
    const n = this.open<SectionNode>({
      kind: "section",
      start: NO_SPAN,
      end: -1,
      recovered: false,
      name: undefined,
      equals: undefined,
      lbrace: undefined,
      rbrace: undefined,
      strays: [],
      rules: [],
    });
    this.OR(this.sectionNameAlts);
    this.OPTION(this.sectionEquals);
    n.lbrace = own(n, this.CONSUME(LBrace));
    this.MANY(this.sectionBody);
    n.rbrace = own(n, this.CONSUME(RBrace));
    own(n, this.CONSUME2(Semicolon));
    return n;
  });

  private readonly ruleMoreCondition = {
    GATE: () => this.atConditionStart(),
    DEF: () => { const c = this.SUBRULE2(this.condition); this.top<RuleNode>().conditions.push(c); },
  };
  private readonly ruleAnd = () => {
    const n = this.top<RuleNode>();
    n.ands.push(own(n, this.CONSUME(AndAnd)));
    this.OPTION2(this.ruleMoreCondition);
  };
  private readonly ruleConditions = () => {
    const c = this.SUBRULE(this.condition);
    this.top<RuleNode>().conditions.push(c);
    this.MANY(this.ruleAnd);
  };
  private readonly ruleArrow = () => { const n = this.top<RuleNode>(); n.arrow = own(n, this.CONSUME(Arrow)); };

  /** rule = [ condition { "&&" [condition] } ] ["=>"] action ";" */
  public rule = this.RULE("rule", (): RuleNode => {
    const n = this.open<RuleNode>({ kind: "rule", start: NO_SPAN, end: -1, recovered: false, conditions: [], ands: [], arrow: undefined, action: undefined });
    this.OPTION(this.ruleConditions);
    this.OPTION3(this.ruleArrow);
    n.action = this.SUBRULE(this.action);
    own(n, this.CONSUME(Semicolon));
    return n;
  });

  private readonly conditionBang = () => { const n = this.top<ConditionNode>(); n.bang = own(n, this.CONSUME(Bang)); };
  private readonly conditionBinding = () => {
    const n = this.top<ConditionNode>();
    n.binding = own(n, this.CONSUME(Identifier));
    n.colon = own(n, this.CONSUME(Colon));
  };
  private readonly conditionMoreTests = () => {
    own(this.top<ConditionNode>(), this.CONSUME(Comma));
    const t = this.SUBRULE2(this.test);
    this.top<ConditionNode>().tests.push(t);
  };
  private readonly conditionTests = () => {
    const t = this.SUBRULE(this.test);
    this.top<ConditionNode>().tests.push(t);
    this.MANY(this.conditionMoreTests);
  };

  /** condition = [ "!" ] [ IDENT ":" ] "[" [ test { "," test } ] "]" */
  public condition = this.RULE(
    "condition",
    (): ConditionNode => {
      const n = this.open<ConditionNode>({
        kind: "condition",
        start: NO_SPAN,
        end: -1,
        recovered: false,
        bang: undefined,
        binding: undefined,
        colon: undefined,
        lbracket: undefined,
        rbracket: undefined,
        tests: [],
      });
      this.OPTION(this.conditionBang);
      this.OPTION2(this.conditionBinding);
      n.lbracket = own(n, this.CONSUME(LBracket));
      this.OPTION3(this.conditionTests);
      n.rbracket = own(n, this.CONSUME(RBracket));
      return n;
    },
    NO_RESYNC,
  );

  private readonly testPropertyAlts = [
    { ALT: () => { const n = this.top<TestNode>(); n.property = own(n, this.CONSUME(PropertyKeyword)); } },
    { ALT: () => { const n = this.top<TestNode>(); n.property = own(n, this.CONSUME(Identifier)); } },
    { ALT: () => { const n = this.top<TestNode>(); n.property = own(n, this.CONSUME(ValueTypeKw)); } },
    { ALT: () => { const n = this.top<TestNode>(); n.property = own(n, this.CONSUME(ClaimKw)); } },
  ];

  /** test = property cmp expr, where a misspelled property and `=` are accepted and reported */
  public test = this.RULE(
    "test",
    (): TestNode => {
      const n = this.open<TestNode>({ kind: "test", start: NO_SPAN, end: -1, recovered: false, property: undefined, operator: undefined, expr: undefined });
      this.OR(this.testPropertyAlts);
      n.operator = own(n, this.CONSUME(Comparison));
      n.expr = this.SUBRULE(this.expr);
      return n;
    },
    NO_RESYNC,
  );

  private readonly actionVerbAlts = [
    { ALT: () => { const n = this.top<ActionNode>(); n.verb = own(n, this.CONSUME(ActionKeyword)); } },
    { ALT: () => { const n = this.top<ActionNode>(); n.verb = own(n, this.CONSUME(Identifier)); } },
  ];
  private readonly actionMoreArgs = () => {
    own(this.top<ActionNode>(), this.CONSUME(Comma));
    const a = this.SUBRULE2(this.argument);
    this.top<ActionNode>().args.push(a);
  };
  private readonly actionArgs = () => {
    const a = this.SUBRULE(this.argument);
    this.top<ActionNode>().args.push(a);
    this.MANY(this.actionMoreArgs);
  };

  /** action = verb "(" [ argument { "," argument } ] ")" */
  public action = this.RULE(
    "action",
    (): ActionNode => {
      const n = this.open<ActionNode>({ kind: "action", start: NO_SPAN, end: -1, recovered: false, verb: undefined, lparen: undefined, rparen: undefined, args: [] });
      this.OR(this.actionVerbAlts);
      n.lparen = own(n, this.CONSUME(LParen));
      this.OPTION(this.actionArgs);
      n.rparen = own(n, this.CONSUME(RParen));
      return n;
    },
    NO_RESYNC,
  );

  private readonly argumentNameAlts = [
    { ALT: () => { const n = this.top<ArgumentNode>(); n.name = own(n, this.CONSUME(ClaimKw)); } },
    { ALT: () => { const n = this.top<ArgumentNode>(); n.name = own(n, this.CONSUME(TypeKw)); } },
    { ALT: () => { const n = this.top<ArgumentNode>(); n.name = own(n, this.CONSUME(ValueKw)); } },
    { ALT: () => { const n = this.top<ArgumentNode>(); n.name = own(n, this.CONSUME(ValueTypeKw)); } },
    { ALT: () => { const n = this.top<ArgumentNode>(); n.name = own(n, this.CONSUME(IssuerKw)); } },
    { ALT: () => { const n = this.top<ArgumentNode>(); n.name = own(n, this.CONSUME(Identifier)); } },
  ];
  private readonly argumentAlts = [
    {
      GATE: () => isType(this.LA(2), Comparison),
      ALT: () => {
        this.OR2(this.argumentNameAlts);
        const n = this.top<ArgumentNode>();
        n.equals = own(n, this.CONSUME(Comparison));
        const e = this.SUBRULE(this.expr);
        this.top<ArgumentNode>().expr = e;
      },
    },
    { ALT: () => { const e = this.SUBRULE2(this.expr); this.top<ArgumentNode>().expr = e; } },
  ];

  /** argument = name "=" expr | expr (positional: an error) */
  public argument = this.RULE(
    "argument",
    (): ArgumentNode => {
      const n = this.open<ArgumentNode>({ kind: "argument", start: NO_SPAN, end: -1, recovered: false, name: undefined, equals: undefined, expr: undefined });
      this.OR(this.argumentAlts);
      return n;
    },
    NO_RESYNC,
  );

  private readonly exprMoreArgs = () => {
    own(this.top<ExprNode>(), this.CONSUME(Comma));
    const a = this.SUBRULE2(this.expr);
    (this.top<ExprNode>().args ??= []).push(a);
  };
  private readonly exprArgs = () => {
    const a = this.SUBRULE(this.expr);
    (this.top<ExprNode>().args ??= []).push(a);
    this.MANY(this.exprMoreArgs);
  };
  private readonly exprMemberAlts = [
    { ALT: () => { const n = this.top<ExprNode>(); n.member = own(n, this.CONSUME(ValueKw)); } },
    { ALT: () => { const n = this.top<ExprNode>(); n.member = own(n, this.CONSUME(PropertyKeyword)); } },
    { ALT: () => { const n = this.top<ExprNode>(); n.member = own(n, this.CONSUME3(Identifier)); } },
  ];
  private readonly exprMember = () => {
    const n = this.top<ExprNode>();
    n.dot = own(n, this.CONSUME(Dot));
    this.OR2(this.exprMemberAlts);
  };
  private readonly exprAlts = [
    { ALT: () => { const n = this.top<ExprNode>(); n.literal = own(n, this.CONSUME(StringLike)); } },
    { ALT: () => { const n = this.top<ExprNode>(); n.literal = own(n, this.CONSUME(IntegerLike)); } },
    { ALT: () => { const n = this.top<ExprNode>(); n.literal = own(n, this.CONSUME(BooleanLiteral)); } },
    { ALT: () => { const n = this.top<ExprNode>(); n.literal = own(n, this.CONSUME(Placeholder)); } },
    {
      // A call: `name (`. No GATE: the lookahead paths (up to 3 tokens) already tell
      // `name (` from `name`, and an alternative with a GATE makes Chevrotain build an array of
      // the GATEs on every `OR` (11.2.0, `lookahead.js`), here once per expression.
      ALT: () => {
        const n = this.top<ExprNode>();
        n.callee = own(n, this.CONSUME(Identifier));
        n.lparen = own(n, this.CONSUME(LParen));
        this.OPTION(this.exprArgs);
        n.rparen = own(n, this.CONSUME(RParen));
      },
    },
    {
      ALT: () => {
        const n = this.top<ExprNode>();
        n.identifier = own(n, this.CONSUME2(Identifier));
        this.OPTION2(this.exprMember);
      },
    },
  ];

  /** expr = STRING | INTEGER | BOOLEAN | IDENT "." "value" | IDENT | FUNC "(" [ expr { "," expr } ] ")" */
  public expr = this.RULE(
    "expr",
    (): ExprNode => {
      const n = this.open<ExprNode>({
        kind: "expr",
        start: NO_SPAN,
        end: -1,
        recovered: false,
        literal: undefined,
        callee: undefined,
        lparen: undefined,
        rparen: undefined,
        args: undefined,
        identifier: undefined,
        dot: undefined,
        member: undefined,
      });
      this.OR(this.exprAlts);
      return n;
    },
    NO_RESYNC,
  );

  private readonly ruleListItem = () => {
    const r = this.SUBRULE(this.rule);
    this.keepRule(this.top<RuleListNode>(), r);
  };

  /** Lowers a parsed rule into its section (or rule list). */
  private keepRule(parent: SectionNode | RuleListNode, node: RuleNode): void {
    const lowering = this.lowering;
    if (lowering === undefined) return;
    const lowered = lowering.rule(node);
    if (lowered !== undefined) parent.rules.push(lowered);
  }

  /**
   * rules = { rule }: the rules of a section body on their own, for the language server's
   * incremental re-parse of the statements an edit touches (`incremental.ts`).
   */
  public ruleList = this.RULE("ruleList", (): RuleListNode => {
    const n = this.open<RuleListNode>({ kind: "ruleList", start: NO_SPAN, end: -1, recovered: false, rules: [] });
    this.MANY(this.ruleListItem);
    return n;
  });

  // -------------------------------------------------------------------------------------------
  // Partial nodes after an error, as Chevrotain's CST mode makes them (11.2.0,
  // `recognizer_engine.js`): a statement rule that re-synchronises returns its partial node
  // (marked `recovered`); one that cannot hands it to its caller, which keeps it as its child and
  // re-throws. Inner rules (no re-synchronisation) lose their partial node, as in the CST.
  // -------------------------------------------------------------------------------------------

  /** @internal Chevrotain hook: a rule is left (normally or by an exception). */
  ruleFinallyStateUpdate(): void {
    // Balanced with `open`: every rule body opens its node first.
    this.nodeStack.pop();
    (EmbeddedActionsParser.prototype as unknown as { ruleFinallyStateUpdate(this: unknown): void }).ruleFinallyStateUpdate.call(this);
  }

  /** @internal Chevrotain hook: a recognition error left a rule. */
  invokeRuleCatch(e: unknown, resyncEnabled: boolean, recoveryValueFunc: (e: unknown) => unknown): unknown {
    const node = this.nodeStack[this.nodeStack.length - 1];
    const base = (EmbeddedActionsParser.prototype as unknown as {
      invokeRuleCatch(this: unknown, e: unknown, r: boolean, f: (e: unknown) => unknown): unknown;
    }).invokeRuleCatch;
    if (!resyncEnabled || node === undefined) return base.call(this, e, resyncEnabled, recoveryValueFunc);
    try {
      return base.call(this, e, resyncEnabled, () => {
        node.recovered = true;
        return node;
      });
    } catch (thrown) {
      if (isRecognitionException(thrown as Error)) {
        node.recovered = true;
        (thrown as WithPartialNode).partialNode = node;
      }
      throw thrown;
    }
  }

  /** @internal Chevrotain hook: a sub-rule threw; its partial node (if any) becomes the caller's child. */
  subruleInternalError(e: unknown, _options: unknown, _ruleName: string): never {
    const partial = (e as WithPartialNode | undefined)?.partialNode;
    if (partial !== undefined) {
      (e as WithPartialNode).partialNode = undefined;
      const parent = this.nodeStack[this.nodeStack.length - 1];
      if (parent !== undefined) {
        if (partial.kind === "rule") {
          if (parent.kind === "section" || parent.kind === "ruleList") this.keepRule(parent, partial);
        } else attachPartial(parent, partial);
      }
    }
    throw e;
  }

  /**
   * In-rule recovery (inserting or deleting one token) needs the tokens that may follow the
   * expected one, and Chevrotain computes them by walking the grammar from the top rule on every
   * mismatched token: about a millisecond, with much garbage, per error, so `c:[` repeated cost
   * seconds for under 1 KB. The answer depends only on the grammar path (rule stack, occurrences,
   * expected token), so it is computed once per path. Bounded: cleared when full.
   * (Chevrotain 11.2.0 internals, `recoverable.js`; `test/hardening/parser-recovery.test.ts`
   * counts the walks.)
   */
  getFollowsForInRuleRecovery(tokType: TokenType, tokIdxInRule: number): TokenType[] {
    const self = this as unknown as ChevrotainRecoveryInternals;
    let key = `${tokType.name}/${tokIdxInRule}`;
    for (let i = 0; i <= self.RULE_STACK_IDX; i++) key += `/${self.RULE_STACK[i]}.${self.RULE_OCCURRENCE_STACK[i]}`;
    let follows = this.followsByPath.get(key);
    if (follows === undefined) {
      if (this.followsByPath.size >= MAX_FOLLOWS_CACHED) this.followsByPath.clear();
      follows = chevrotainFollowsForInRuleRecovery.call(this, tokType, tokIdxInRule);
      this.followsByPath.set(key, follows);
    }
    return follows;
  }

  private readonly followsByPath = new Map<string, TokenType[]>();

  private atVersionStart(): boolean {
    const t1 = this.LA(1);
    if (t1.tokenType === VersionKw) return true;
    return t1.tokenType === Identifier && this.LA(2).tokenType === Assign && isType(this.LA(3), IntegerLike);
  }

  private atSectionStart(): boolean {
    const t1 = this.LA(1);
    if (isType(t1, SectionKeyword)) return true;
    if (t1.tokenType !== Identifier) return false;
    const t2 = this.LA(2).tokenType;
    return t2 === LBrace || (t2 === Assign && this.LA(3).tokenType === LBrace);
  }

  private atConditionStart(): boolean {
    const t1 = this.LA(1).tokenType;
    if (t1 === LBracket || t1 === Bang) return true;
    return t1 === Identifier && this.LA(2).tokenType === Colon;
  }

  private atRuleStart(): boolean {
    if (this.atConditionStart()) return true;
    const t1 = this.LA(1);
    if (t1.tokenType === Arrow || isType(t1, ActionKeyword)) return true;
    return t1.tokenType === Identifier && this.LA(2).tokenType === LParen;
  }
}

let parserInstance: PolicyParser | undefined;

/** The shared parser instance (Chevrotain parsers are built once and reused). */
export function policyParser(): PolicyParser {
  parserInstance ??= new PolicyParser();
  return parserInstance;
}

/**
 * Runs the parser with `Error.stackTraceLimit` at 0, restored after. Chevrotain recovers by
 * throwing: each syntax error builds one or two exceptions (a `MismatchedTokenException`, an
 * `InRuleRecoveryException`), each capturing a stack trace twice (`Error` and
 * `captureStackTrace`), which nobody reads (lowering reads their token and message only); that
 * was most of what an error cost once the follows were cached. Parsing is synchronous, so nothing
 * else runs meanwhile.
 */
function withoutStackTraces<T>(run: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return run();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Runs `rule` of the shared parser on `tokens`, each parsed rule lowered by `lowering`. */
function run<T>(tokens: IToken[], lowering: RuleLowering, rule: (parser: PolicyParser) => T): { result: T; errors: IRecognitionException[] } {
  const parser = policyParser();
  parser.input = tokens;
  parser.lowering = lowering;
  try {
    return { result: withoutStackTraces(() => rule(parser)), errors: parser.errors };
  } finally {
    parser.lowering = undefined;
  }
}

/**
 * Parses significant tokens into a parse tree whose rules are lowered already, returning it and
 * Chevrotain's recognition errors. (`cst` keeps its name from the CST it replaced, for the callers.)
 */
export function parseTokens(tokens: IToken[], lowering: RuleLowering): { cst: PolicyNode; errors: IRecognitionException[] } {
  const { result, errors } = run(tokens, lowering, (parser) => parser.policy() as PolicyNode | undefined);
  return { cst: result ?? emptyPolicy(), errors };
}

/** Parses tokens that should be a list of rules; the tree's `rules` are its rules, lowered. */
export function parseRuleTokens(tokens: IToken[], lowering: RuleLowering): { cst: RuleListNode; errors: IRecognitionException[] } {
  const { result, errors } = run(tokens, lowering, (parser) => parser.ruleList() as RuleListNode | undefined);
  return { cst: result ?? { kind: "ruleList", start: NO_SPAN, end: -1, recovered: true, rules: [] }, errors };
}

function emptyPolicy(): PolicyNode {
  return { kind: "policy", start: NO_SPAN, end: -1, recovered: true, versions: [], sections: [], strays: [] };
}

/** Keeps the partial node of a version or section that could not re-synchronise as its caller's child. */
function attachPartial(parent: ParseNode, partial: ParseNode): void {
  if (partial.kind === "section" && parent.kind === "policy") parent.sections.push(partial);
  else if (partial.kind === "version" && parent.kind === "policy") parent.versions.push(partial);
}
