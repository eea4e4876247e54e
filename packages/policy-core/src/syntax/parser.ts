/**
 * The grammar of the policy language, as a Chevrotain CST parser. This is the executable
 * definition of the syntax; `../../../../docs/grammar.md` explains it in EBNF.
 *
 * The grammar is deliberately more lenient than the language: it accepts the mistakes found in
 * published policies (an identifier where a keyword belongs, `=` for `==`, `authorizationrules = {`,
 * a missing `=>`, positional arguments, stray tokens) so that lowering can report each one once,
 * precisely, with a fix, and keep the rest of the tree intact.
 *
 * Error recovery: inner rules do not re-synchronise; an error propagates to the enclosing
 * statement (version, section or rule), which re-synchronises, and the statement loops skip stray
 * tokens one at a time (`AnyToken`). Lowering groups what was skipped into one diagnostic.
 */
import { CstParser, EOF, type CstNode, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
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
  CstParser.prototype as unknown as { getFollowsForInRuleRecovery(this: CstParser, tokType: TokenType, tokIdxInRule: number): TokenType[] }
).getFollowsForInRuleRecovery;

/** Grammar paths whose in-rule recovery follows are kept (nested calls make many paths). */
const MAX_FOLLOWS_CACHED = 4096;

/** The policy parser. One instance is reused; `parseTokens` resets it for each input. */
export class PolicyParser extends CstParser {
  constructor() {
    super(allTokens, {
      recoveryEnabled: true,
      maxLookahead: 3,
      errorMessageProvider: messageProvider,
      skipValidations: true,
    });
    this.performSelfAnalysis();
  }

  /** policy = { version | section | ";" | stray token } */
  public policy = this.RULE("policy", () => {
    this.MANY(() => {
      this.OR({
        IGNORE_AMBIGUITIES: true,
        DEF: [
          { GATE: () => this.atVersionStart(), ALT: () => this.SUBRULE(this.versionStatement) },
          { GATE: () => this.atSectionStart(), ALT: () => this.SUBRULE(this.section) },
          { ALT: () => this.CONSUME(Semicolon, { LABEL: "stray" }) },
          { ALT: () => this.CONSUME(AnyToken, { LABEL: "stray" }) },
        ],
      });
    });
  });

  /** version = ("version" | misspelling) "=" NUMBER ";" */
  public versionStatement = this.RULE("versionStatement", () => {
    this.OR([
      { ALT: () => this.CONSUME(VersionKw, { LABEL: "keyword" }) },
      { ALT: () => this.CONSUME(Identifier, { LABEL: "keyword" }) },
    ]);
    this.CONSUME(Assign);
    this.CONSUME(IntegerLike, { LABEL: "value" });
    this.CONSUME(Semicolon, { LABEL: "semicolon" });
  });

  /** section = name ["="] "{" { rule | ";" | stray token } "}" ";" */
  public section = this.RULE("section", () => {
    this.OR([
      { ALT: () => this.CONSUME(SectionKeyword, { LABEL: "name" }) },
      { ALT: () => this.CONSUME(Identifier, { LABEL: "name" }) },
    ]);
    this.OPTION(() => this.CONSUME(Assign, { LABEL: "equals" }));
    this.CONSUME(LBrace, { LABEL: "lbrace" });
    this.MANY({
      GATE: () => {
        const t = this.LA(1).tokenType;
        return t !== RBrace && t !== EOF && !this.atSectionStart();
      },
      DEF: () => {
        this.OR2({
          IGNORE_AMBIGUITIES: true,
          DEF: [
            { GATE: () => this.atRuleStart(), ALT: () => this.SUBRULE(this.rule) },
            { ALT: () => this.CONSUME2(Semicolon, { LABEL: "stray" }) },
            { ALT: () => this.CONSUME2(AnyToken, { LABEL: "stray" }) },
          ],
        });
      },
    });
    this.CONSUME(RBrace, { LABEL: "rbrace" });
    this.CONSUME2(Semicolon, { LABEL: "semicolon" });
  });

  /** rule = [ condition { "&&" [condition] } ] ["=>"] action ";" */
  public rule = this.RULE("rule", () => {
    this.OPTION(() => {
      this.SUBRULE(this.condition);
      this.MANY(() => {
        this.CONSUME(AndAnd, { LABEL: "and" });
        this.OPTION2({ GATE: () => this.atConditionStart(), DEF: () => this.SUBRULE2(this.condition) });
      });
    });
    this.OPTION3(() => this.CONSUME(Arrow, { LABEL: "arrow" }));
    this.SUBRULE(this.action);
    this.CONSUME(Semicolon, { LABEL: "semicolon" });
  });

  /** condition = [ "!" ] [ IDENT ":" ] "[" [ test { "," test } ] "]" */
  public condition = this.RULE(
    "condition",
    () => {
      this.OPTION(() => this.CONSUME(Bang, { LABEL: "bang" }));
      this.OPTION2(() => {
        this.CONSUME(Identifier, { LABEL: "binding" });
        this.CONSUME(Colon);
      });
      this.CONSUME(LBracket, { LABEL: "lbracket" });
      this.OPTION3(() => {
        this.SUBRULE(this.test);
        this.MANY(() => {
          this.CONSUME(Comma);
          this.SUBRULE2(this.test);
        });
      });
      this.CONSUME(RBracket, { LABEL: "rbracket" });
    },
    NO_RESYNC,
  );

  /** test = property cmp expr, where a misspelled property and `=` are accepted and reported */
  public test = this.RULE(
    "test",
    () => {
      this.OR([
        { ALT: () => this.CONSUME(PropertyKeyword, { LABEL: "property" }) },
        { ALT: () => this.CONSUME(Identifier, { LABEL: "property" }) },
        { ALT: () => this.CONSUME(ValueTypeKw, { LABEL: "property" }) },
        { ALT: () => this.CONSUME(ClaimKw, { LABEL: "property" }) },
      ]);
      this.CONSUME(Comparison, { LABEL: "operator" });
      this.SUBRULE(this.expr);
    },
    NO_RESYNC,
  );

  /** action = verb "(" [ argument { "," argument } ] ")" */
  public action = this.RULE(
    "action",
    () => {
      this.OR([
        { ALT: () => this.CONSUME(ActionKeyword, { LABEL: "verb" }) },
        { ALT: () => this.CONSUME(Identifier, { LABEL: "verb" }) },
      ]);
      this.CONSUME(LParen, { LABEL: "lparen" });
      this.OPTION(() => {
        this.SUBRULE(this.argument);
        this.MANY(() => {
          this.CONSUME(Comma);
          this.SUBRULE2(this.argument);
        });
      });
      this.CONSUME(RParen, { LABEL: "rparen" });
    },
    NO_RESYNC,
  );

  /** argument = name "=" expr | expr (positional: an error) */
  public argument = this.RULE(
    "argument",
    () => {
      this.OR([
        {
          GATE: () => isType(this.LA(2), Comparison),
          ALT: () => {
            this.OR2([
              { ALT: () => this.CONSUME(ClaimKw, { LABEL: "name" }) },
              { ALT: () => this.CONSUME(TypeKw, { LABEL: "name" }) },
              { ALT: () => this.CONSUME(ValueKw, { LABEL: "name" }) },
              { ALT: () => this.CONSUME(ValueTypeKw, { LABEL: "name" }) },
              { ALT: () => this.CONSUME(IssuerKw, { LABEL: "name" }) },
              { ALT: () => this.CONSUME(Identifier, { LABEL: "name" }) },
            ]);
            this.CONSUME(Comparison, { LABEL: "equals" });
            this.SUBRULE(this.expr);
          },
        },
        { ALT: () => this.SUBRULE2(this.expr) },
      ]);
    },
    NO_RESYNC,
  );

  /** expr = STRING | INTEGER | BOOLEAN | IDENT "." "value" | IDENT | FUNC "(" [ expr { "," expr } ] ")" */
  public expr = this.RULE(
    "expr",
    () => {
      this.OR([
        { ALT: () => this.CONSUME(StringLike, { LABEL: "literal" }) },
        { ALT: () => this.CONSUME(IntegerLike, { LABEL: "literal" }) },
        { ALT: () => this.CONSUME(BooleanLiteral, { LABEL: "literal" }) },
        { ALT: () => this.CONSUME(Placeholder, { LABEL: "literal" }) },
        {
          GATE: () => this.LA(2).tokenType === LParen,
          ALT: () => {
            this.CONSUME(Identifier, { LABEL: "callee" });
            this.CONSUME(LParen, { LABEL: "lparen" });
            this.OPTION(() => {
              this.SUBRULE(this.expr, { LABEL: "arg" });
              this.MANY(() => {
                this.CONSUME(Comma);
                this.SUBRULE2(this.expr, { LABEL: "arg" });
              });
            });
            this.CONSUME(RParen, { LABEL: "rparen" });
          },
        },
        {
          ALT: () => {
            this.CONSUME2(Identifier, { LABEL: "identifier" });
            this.OPTION2(() => {
              this.CONSUME(Dot, { LABEL: "dot" });
              this.OR2([
                { ALT: () => this.CONSUME(ValueKw, { LABEL: "member" }) },
                { ALT: () => this.CONSUME(PropertyKeyword, { LABEL: "member" }) },
                { ALT: () => this.CONSUME3(Identifier, { LABEL: "member" }) },
              ]);
            });
          },
        },
      ]);
    },
    NO_RESYNC,
  );

  /**
   * rules = { rule }: the rules of a section body on their own, for the language server's
   * incremental re-parse of the statements an edit touches (`incremental.ts`).
   */
  public ruleList = this.RULE("ruleList", () => {
    this.MANY(() => this.SUBRULE(this.rule));
  });

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

/** Parses significant tokens into a CST, returning the CST and Chevrotain's recognition errors. */
export function parseTokens(tokens: IToken[]): { cst: CstNode; errors: PolicyParser["errors"] } {
  const parser = policyParser();
  parser.input = tokens;
  const cst = withoutStackTraces(() => parser.policy());
  return { cst, errors: parser.errors };
}

/** Parses tokens that should be a list of rules; the CST's `rule` children are its rules. */
export function parseRuleTokens(tokens: IToken[]): { cst: CstNode; errors: PolicyParser["errors"] } {
  const parser = policyParser();
  parser.input = tokens;
  const cst = withoutStackTraces(() => parser.ruleList());
  return { cst, errors: parser.errors };
}
