/**
 * Parse nodes (`parser.ts`) → AST lowering, with every syntax diagnostic that needs grammatical context.
 *
 * Total: every parse tree, however broken, lowers to a tree whose ranges nest, plus diagnostics. The
 * parser's recognition errors are turned into author-facing messages here too, and cascades are
 * cut: after an error, stray tokens up to the next `;` or the next clean statement are part of
 * the same mistake and get no diagnostic of their own.
 */
import type { IRecognitionException, IToken, TokenType } from "chevrotain";
import { diagnostic, fixOf, type Diagnostic, type Fix } from "../diagnostics/diagnostic.js";
import { range, type TextRange } from "../text/text-range.js";
import { suggest } from "../util/suggest.js";
import type {
  Action,
  Argument,
  Comment,
  Condition,
  ErrorNode,
  Expr,
  Identifier,
  PolicyFile,
  Rule,
  Section,
  Test,
  VersionDecl,
} from "./ast.js";
import { stringValue } from "./lexer.js";
import {
  isReal,
  type ActionNode,
  type ArgumentNode,
  type ConditionNode,
  type ExprNode,
  type ParseErrorInfo,
  type PolicyNode,
  type RuleListNode,
  type RuleLowering,
  type RuleNode,
  type SectionNode,
  type TestNode,
  type VersionNode,
} from "./parser.js";
import {
  ACTION_NAMES,
  ARGUMENT_NAMES,
  Assign,
  BlockComment,
  CurlyString,
  DecimalLiteral,
  EqEq,
  FalseKw,
  GtEq,
  Gt,
  HexLiteral,
  Identifier as IdentifierToken,
  IntegerLiteral,
  LtEq,
  Lt,
  MixedQuoteString,
  NotEq,
  OrOr,
  IssuerKw,
  ClaimKw,
  TypeKw,
  ValueKw,
  ValueTypeKw,
  PROPERTY_NAMES,
  Placeholder,
  SECTION_NAMES,
  Semicolon,
  StringLiteral,
  TrueKw,
  UnterminatedString,
  type ActionName,
  type ArgumentName,
  type ComparisonOperator,
  type PropertyName,
  type SectionName,
} from "./tokens.js";

/** Tokens whose mistake the lexer reports; a parse error at or right after them is the same mistake. */
const LEXICALLY_REPORTED = new Set<TokenType>([UnterminatedString, OrOr, Placeholder]);
/** Tokens that can start an argument or a test: after an item, they mean a missing `,`. */
const LIST_ITEM_START = new Set<TokenType>([
  TypeKw,
  ValueKw,
  IssuerKw,
  ClaimKw,
  ValueTypeKw,
  IdentifierToken,
  StringLiteral,
  IntegerLiteral,
  TrueKw,
  FalseKw,
]);

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** Human names of token types, for messages (never Chevrotain's internal names). */
const TOKEN_WORDS: Record<string, string> = {
  Semicolon: "`;`",
  Comma: "`,`",
  Colon: "`:`",
  Dot: "`.`",
  LParen: "`(`",
  RParen: "`)`",
  LBracket: "`[`",
  RBracket: "`]`",
  LBrace: "`{`",
  RBrace: "`}`",
  Arrow: "`=>`",
  Assign: "`=`",
  AndAnd: "`&&`",
  Bang: "`!`",
  Comparison: "a comparison such as `==`",
  EqEq: "`==`",
  StringLike: "a string",
  StringLiteral: "a string",
  IntegerLike: "an integer",
  IntegerLiteral: "an integer",
  DecimalLiteral: "a version number such as `1.2`",
  BooleanLiteral: "`true` or `false`",
  Identifier: "a name",
  Placeholder: "",
  SectionKeyword: "a section name",
  ActionKeyword: "an action such as `permit()`",
  PropertyKeyword: "`type`, `value` or `issuer`",
  VersionKw: "`version`",
  TypeKw: "`type`",
  ValueKw: "`value`",
  IssuerKw: "`issuer`",
  ClaimKw: "`claim`",
  ValueTypeKw: "`valueType`",
  AnyToken: "a rule",
  EOF: "the end of the file",
};

function describeToken(t: IToken | undefined): string {
  if (!t || t.tokenType.name === "EOF") return "end of file";
  const img = t.image.length > 30 ? t.image.slice(0, 30) + "…" : t.image;
  return `\`${img}\``;
}

function describeExpected(names: readonly string[]): string {
  const words: string[] = [];
  for (const n of names) {
    const w = TOKEN_WORDS[n] ?? (n.endsWith("Kw") ? "`" + n.slice(0, -2).toLowerCase() + "`" : n);
    if (w !== "" && !words.includes(w)) words.push(w);
  }
  const shown = words.slice(0, 5);
  if (shown.length === 0) return "";
  if (shown.length === 1) return shown[0] as string;
  return `${shown.slice(0, -1).join(", ")} or ${shown[shown.length - 1]}`;
}

const OPERATORS = new Map<unknown, ComparisonOperator>([
  [EqEq, "=="],
  [NotEq, "!="],
  [Lt, "<"],
  [LtEq, "<="],
  [Gt, ">"],
  [GtEq, ">="],
  [Assign, "=="],
]);

function tokRange(t: IToken): TextRange {
  return { start: t.startOffset, end: t.startOffset + t.image.length };
}

/** The token under a field if it was in the input (not inserted by the parser's recovery). */
function real(t: IToken | undefined): IToken | undefined {
  return isReal(t) ? t : undefined;
}

/** Whether an expression node holds at least one real token. */
function hasTokens(node: ExprNode): boolean {
  if (node.end >= 0) return true;
  const args = node.args;
  if (args !== undefined) for (let i = 0; i < args.length; i++) if (hasTokens(args[i] as ExprNode)) return true;
  return false;
}

/** Whether an action node holds at least one real token. */
function actionHasTokens(node: ActionNode): boolean {
  if (node.end >= 0) return true;
  for (const a of node.args) if (a.end >= 0 || (a.expr !== undefined && hasTokens(a.expr))) return true;
  return false;
}

/**
 * The span of a node's own tokens (not its sub-rules'), tracked by the parser; the lowering
 * covers it with the ranges of the lowered children, so that the whole costs linear time.
 */
function directSpan(node: { readonly start: number; readonly end: number }): TextRange | undefined {
  return node.end < 0 ? undefined : { start: node.start, end: node.end };
}

/**
 * `cover(first, ...items.map((i) => i.range), last)` without the intermediate arrays and objects
 * (the lowering's hottest path).
 */
function coverAll(first: TextRange | undefined, items: readonly { readonly range: TextRange }[], last?: TextRange): TextRange | undefined {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  let count = 0;
  let only: TextRange | undefined;
  if (first !== undefined) {
    start = first.start;
    end = first.end;
    only = first;
    count++;
  }
  for (let i = 0; i < items.length; i++) {
    const r = (items[i] as { readonly range: TextRange }).range;
    if (r.start < start) start = r.start;
    if (r.end > end) end = r.end;
    only = r;
    count++;
  }
  if (last !== undefined) {
    if (last.start < start) start = last.start;
    if (last.end > end) end = last.end;
    only = last;
    count++;
  }
  if (count === 0) return undefined;
  // As `cover`: a single range is returned as it is.
  return count === 1 ? only : { start, end };
}

/** `coverAll(directSpan(node), items, last)` without the intermediate range. */
function coverNode(node: { readonly start: number; readonly end: number }, items: readonly { readonly range: TextRange }[], last?: TextRange): TextRange | undefined {
  if (node.end < 0) return coverAll(undefined, items, last);
  let start = node.start;
  let end = node.end;
  for (let i = 0; i < items.length; i++) {
    const r = (items[i] as { readonly range: TextRange }).range;
    if (r.start < start) start = r.start;
    if (r.end > end) end = r.end;
  }
  if (last !== undefined) {
    if (last.start < start) start = last.start;
    if (last.end > end) end = last.end;
  }
  return { start, end };
}

/** `cover(a, b)` without the arguments array. */
function cover2(a: TextRange | undefined, b: TextRange | undefined): TextRange | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** `list` lowered by `f`, those lowered to nothing left out, in an array of the exact size. */
function lowerAll<T, U>(list: readonly T[], f: (item: T, index: number) => U | undefined): U[] {
  const out = new Array<U>(list.length);
  let k = 0;
  for (let i = 0; i < list.length; i++) {
    const u = f(list[i] as T, i);
    if (u !== undefined) out[k++] = u;
  }
  if (k < out.length) out.length = k;
  return out;
}

/** Sorts nodes by start (stable), skipping the sort when they are in order already (the usual case). */
function byStart<T extends { readonly range: TextRange }>(list: T[]): T[] {
  for (let i = 1; i < list.length; i++) {
    if ((list[i] as T).range.start < (list[i - 1] as T).range.start) return list.sort((a, b) => a.range.start - b.range.start);
  }
  return list;
}

/** What the lowering reads besides the parse tree. */
export interface LowerInput {
  readonly text: string;
  readonly tokens: readonly IToken[];
  readonly comments: readonly IToken[];
}

interface StatementEvent {
  readonly index: number;
  readonly kind: "clean" | "error" | "stray";
  readonly token?: IToken;
  readonly diagnostic?: Diagnostic;
}

/**
 * Lowers parse trees to the AST and reports syntax diagnostics. The parser hands it each rule as
 * soon as the rule is parsed (`RuleLowering`); `file` or `rules` then lowers the rest of the tree.
 * One instance per parse.
 */
export class Lowering implements RuleLowering {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly events: StatementEvent[] = [];

  constructor(private readonly input: LowerInput) {}

  /** Lowers a policy's parse tree (its rules lowered already); `clean` when nothing was recovered or skipped. */
  file(cst: PolicyNode, errors: readonly IRecognitionException[]): { file: PolicyFile; diagnostics: Diagnostic[]; clean: boolean } {
    const out = this.run(cst, errors);
    return { ...out, clean: errors.length === 0 && !this.hadStrays() };
  }

  /**
   * The rules of `parseRuleTokens`' tree, as `file` lowers the rules of a section; undefined when
   * a rule lowered to nothing or anything was recovered or skipped (then only a full parse can say
   * what the text means).
   */
  rules(cst: RuleListNode, errors: readonly IRecognitionException[]): { rules: Rule[]; diagnostics: Diagnostic[] } | undefined {
    if (errors.length > 0) return undefined;
    const rules: Rule[] = [];
    for (const r of cst.rules) {
      if (r.kind !== "Rule") return undefined;
      rules.push(r);
    }
    if (this.hadStrays()) return undefined;
    return { rules, diagnostics: this.diagnostics };
  }

  /** The index of `t` in the token array (binary search by offset), or undefined. */
  private indexOf(t: IToken): number | undefined {
    const i = this.indexAt(t.startOffset);
    return this.input.tokens[i] === t ? i : undefined;
  }

  /** The index of the first token that starts at or after `offset`. */
  private indexAt(offset: number): number {
    const tokens = this.input.tokens;
    let lo = 0;
    let hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((tokens[mid] as IToken).startOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whether stray tokens were skipped anywhere. */
  hadStrays(): boolean {
    return this.events.some((e) => e.kind === "stray");
  }

  private run(cst: PolicyNode, errors: readonly IRecognitionException[]): { file: PolicyFile; diagnostics: Diagnostic[] } {
    const { text } = this.input;
    const versions = cst.versions.map((n) => this.versionStatement(n));
    const sections = cst.sections.map((n) => this.section(n));
    for (const t of cst.strays) if (isReal(t)) this.stray(t);
    this.recognitionErrors(errors);
    this.resolveCascades();

    versions.sort((a, b) => a.range.start - b.range.start);
    sections.sort((a, b) => a.range.start - b.range.start);
    const version = versions[0];
    for (const extra of versions.slice(1)) {
      this.diagnostics.push(
        diagnostic("P1001", extra.range, "unexpected second `version` statement: a policy has one version", {
          fix: fixOf("remove the duplicate version statement", extra.range, ""),
        }),
      );
    }
    if (!version) {
      const first = this.input.tokens[0];
      const at = first ? first.startOffset : text.length;
      this.diagnostics.push(
        diagnostic("P1023", range(at, at), "missing `version=…;` statement at the start of the policy", {
          fix: fixOf("insert `version=1.2;`", range(at, at), "version=1.2;\n"),
        }),
      );
    } else {
      const firstSection = sections[0];
      if (firstSection && firstSection.range.start < version.range.start) {
        this.diagnostics.push(diagnostic("P1001", version.range, "the `version` statement must come before every section"));
      }
    }
    const comments: Comment[] = this.input.comments.map((c) => ({
      kind: "Comment",
      range: tokRange(c),
      text: c.image,
      block: c.tokenType === BlockComment,
    }));
    const file: PolicyFile = {
      kind: "PolicyFile",
      range: range(0, text.length),
      version,
      sections,
      comments,
      bom: text.charCodeAt(0) === 0xfeff,
    };
    return { file, diagnostics: this.diagnostics };
  }

  // -------------------------------------------------------------------------------------------
  // Statements
  // -------------------------------------------------------------------------------------------

  private statementEvent(node: VersionNode | SectionNode, first: IToken | undefined): void {
    if (!first) return;
    const index = this.indexOf(first);
    if (index === undefined) return;
    if (!node.recovered) this.events.push({ index, kind: "clean" });
  }

  private statementEventAt(node: RuleNode, offset: number): void {
    const index = this.indexAt(offset);
    if (!node.recovered && this.input.tokens[index]?.startOffset === offset) this.events.push({ index, kind: "clean" });
  }

  private versionStatement(node: VersionNode): VersionDecl {
    const kw = real(node.keyword);
    const value = real(node.value);
    this.statementEvent(node, kw);
    if (kw && kw.tokenType === IdentifierToken) {
      this.diagnostics.push(this.misspelled(kw, ["version"], "keyword"));
    }
    const span = directSpan(node) ?? range(kw?.startOffset ?? 0, kw?.startOffset ?? 0);
    const valueRange = value ? tokRange(value) : range(span.end, span.end);
    let major: number | undefined;
    let minor: number | undefined;
    const m = value ? /^(\d+)\.(\d+)$/.exec(value.image) : null;
    if (m) {
      major = Number(m[1]);
      minor = Number(m[2]);
    } else if (value && value.tokenType === HexLiteral) {
      // Reported by the lexer already.
    } else if (value) {
      this.diagnostics.push(
        diagnostic("P1001", valueRange, `invalid version \`${value.image}\`: expected a version such as \`1.2\``),
      );
    }
    return { kind: "VersionDecl", range: span, value: value?.image ?? "", valueRange, major, minor };
  }

  private section(node: SectionNode): Section {
    const nameTok = real(node.name);
    this.statementEvent(node, nameTok);
    const nameText = nameTok?.image ?? "";
    let name: SectionName | undefined;
    if (nameTok && nameTok.tokenType !== IdentifierToken) {
      name = nameTok.image as SectionName;
    } else if (nameTok) {
      const guess = suggest(nameTok.image, SECTION_NAMES);
      const r = tokRange(nameTok);
      this.diagnostics.push(
        diagnostic(
          "P1006",
          r,
          guess
            ? `unknown section \`${nameTok.image}\`: did you mean \`${guess}\`?`
            : `unknown section \`${nameTok.image}\`: expected \`configurationrules\`, \`authorizationrules\` or \`issuancerules\``,
          { fix: guess ? fixOf(`replace with \`${guess}\``, r, guess) : undefined },
        ),
      );
      if (guess && guess.toLowerCase() === nameTok.image.toLowerCase()) name = guess as SectionName;
    }
    const equals = real(node.equals);
    if (equals) {
      this.diagnostics.push(
        diagnostic("P1008", tokRange(equals), `unexpected \`=\` after \`${nameText}\`: a section name is followed directly by \`{\``, {
          fix: fixOf("remove the `=`", tokRange(equals), ""),
        }),
      );
    }
    for (const t of node.strays) if (isReal(t)) this.stray(t);
    const rules = byStart(node.rules);
    const lbrace = real(node.lbrace);
    const rbrace = real(node.rbrace);
    const span = coverNode(node, rules) ?? range(0, 0);
    const bodyStart = lbrace ? lbrace.startOffset : nameTok ? nameTok.startOffset + nameTok.image.length : span.start;
    const bodyEnd = rbrace ? rbrace.startOffset + 1 : span.end;
    return {
      kind: "Section",
      range: span,
      name,
      nameText,
      nameRange: nameTok ? tokRange(nameTok) : range(span.start, span.start),
      rules,
      bodyRange: range(bodyStart, Math.max(bodyStart, bodyEnd)),
    };
  }

  /** Lowers a rule; undefined when recovery left it without a single real token. */
  rule(node: RuleNode): Rule | ErrorNode | undefined {
    const conditions = byStart(lowerAll(node.conditions, (c) => this.condition(c)));
    const actionNode = node.action;
    let action: Action | ErrorNode | undefined = actionNode && actionHasTokens(actionNode) ? this.action(actionNode) : undefined;
    const span = coverNode(node, conditions, action?.range);
    if (!span) return undefined;
    this.statementEventAt(node, span.start);
    const ands = node.ands.length === 0 ? node.ands : node.ands.filter(isReal);
    const arrow = real(node.arrow);
    const lastCondition = conditions[conditions.length - 1];
    // A trailing `&&` (after the last condition).
    const trailingAnd = ands.find((a) => !lastCondition || a.startOffset > lastCondition.range.end);
    const arrowRange = arrow ? tokRange(arrow) : undefined;
    if (!action) {
      const at = span.end;
      action = { kind: "ErrorNode", range: range(at, at) };
    }
    if (!arrow && action.kind === "Action") {
      if (trailingAnd) {
        this.diagnostics.push(
          diagnostic("P1009", tokRange(trailingAnd), "missing `=>` before the action: the conditions end with `&&`", {
            fix: fixOf("replace `&&` with `=>`", tokRange(trailingAnd), "=>"),
          }),
        );
      } else if (lastCondition) {
        const at = lastCondition.range.end;
        this.diagnostics.push(
          diagnostic("P1009", range(at, action.range.start), "missing `=>` between the conditions and the action", {
            fix: fixOf("insert `=>`", range(at, at), " =>"),
          }),
        );
      } else {
        const at = action.range.start;
        this.diagnostics.push(
          diagnostic("P1009", range(at, at), "missing `=>` before the action: a rule without conditions starts with `=>`", {
            fix: fixOf("insert `=>`", range(at, at), "=> "),
          }),
        );
      }
    } else if (trailingAnd && arrow) {
      this.diagnostics.push(
        diagnostic("P1001", tokRange(trailingAnd), "unexpected `&&` before `=>`: expected a condition", {
          fix: fixOf("remove the `&&`", tokRange(trailingAnd), ""),
        }),
      );
    }
    // `span` covers the conditions and the action already (an action made here is at its end).
    return {
      kind: "Rule",
      range: span,
      conditions,
      arrowRange: arrowRange ?? range(action.range.start, action.range.start),
      action,
    };
  }

  private condition(node: ConditionNode): Condition {
    const bang = real(node.bang);
    const binding = real(node.binding);
    const lb = real(node.lbracket);
    const rb = real(node.rbracket);
    const tests = lowerAll(node.tests, (t) => this.test(t));
    const span = coverNode(node, tests) ?? range(0, 0);
    if (bang && binding) {
      const r = range(binding.startOffset, binding.startOffset + binding.image.length + 1);
      this.diagnostics.push(
        diagnostic("P1020", range(bang.startOffset, r.end), `a negated condition cannot bind \`${binding.image}\`: it matches when no claim exists`, {
          fix: fixOf(`remove \`${binding.image}:\``, range(binding.startOffset, this.colonEnd(node, binding)), ""),
        }),
      );
    }
    if (lb && rb && tests.length === 0 && !node.recovered) {
      this.diagnostics.push(diagnostic("P1021", range(lb.startOffset, rb.startOffset + 1), "empty condition `[]` matches any claim"));
    }
    const ident: Identifier | undefined = binding ? { kind: "Identifier", range: tokRange(binding), name: binding.image } : undefined;
    return {
      kind: "Condition",
      range: span,
      negated: bang !== undefined,
      binding: ident,
      tests,
      bracketRange: lb ? range(lb.startOffset, rb ? rb.startOffset + 1 : span.end) : range(span.end, span.end),
    };
  }

  private colonEnd(node: ConditionNode, binding: IToken): number {
    const c = real(node.colon);
    return c ? c.startOffset + 1 : binding.startOffset + binding.image.length;
  }

  /** Lowers a test; undefined when recovery left it without a single real token. */
  private test(node: TestNode): Test | ErrorNode | undefined {
    const propTok = real(node.property);
    const opTok = real(node.operator);
    const exprNode = node.expr;
    const span = directSpan(node);
    if (!span) return undefined;
    if (!propTok) return { kind: "ErrorNode", range: span };
    let property: PropertyName | undefined;
    if ((PROPERTY_NAMES as readonly string[]).includes(propTok.image)) {
      property = propTok.image as PropertyName;
    } else {
      const d = this.misspelled(propTok, PROPERTY_NAMES, "condition property");
      this.diagnostics.push(d);
      const guess = suggest(propTok.image, PROPERTY_NAMES);
      if (guess && guess.toLowerCase() === propTok.image.toLowerCase()) property = guess as PropertyName;
    }
    let operator: ComparisonOperator = "==";
    let operatorRange = range(propTok.startOffset + propTok.image.length, propTok.startOffset + propTok.image.length);
    if (opTok) {
      operator = OPERATORS.get(opTok.tokenType) ?? "==";
      operatorRange = tokRange(opTok);
      if (opTok.tokenType === Assign) {
        this.diagnostics.push(
          diagnostic("P1004", operatorRange, "`=` in a condition: use `==` to compare", {
            fix: fixOf("replace `=` with `==`", operatorRange, "=="),
          }),
        );
      }
    }
    const operand: Expr =
      exprNode && hasTokens(exprNode) ? this.expr(exprNode) : { kind: "ErrorNode", range: range(span.end, span.end) };
    return {
      kind: "Test",
      range: cover2(span, operand.range) ?? span,
      property,
      propertyText: propTok.image,
      propertyRange: tokRange(propTok),
      operator,
      operatorRange,
      operand,
    };
  }

  private action(node: ActionNode): Action | ErrorNode {
    const verbTok = real(node.verb);
    const span = directSpan(node);
    if (!verbTok || !span) return { kind: "ErrorNode", range: span ?? range(0, 0) };
    let verb: ActionName | undefined;
    if ((ACTION_NAMES as readonly string[]).includes(verbTok.image)) {
      verb = verbTok.image as ActionName;
    } else {
      const guess = suggest(verbTok.image, ACTION_NAMES);
      const r = tokRange(verbTok);
      this.diagnostics.push(
        diagnostic(
          "P1007",
          r,
          guess
            ? `unknown action \`${verbTok.image}\`: did you mean \`${guess}\`?`
            : `unknown action \`${verbTok.image}\`: expected \`permit\`, \`deny\`, \`add\`, \`issue\` or \`issueproperty\``,
          { fix: guess ? fixOf(`replace with \`${guess}\``, r, guess) : undefined },
        ),
      );
      if (guess && guess.toLowerCase() === verbTok.image.toLowerCase()) verb = guess as ActionName;
    }
    const args = byStart(lowerAll(node.args, (a, i) => this.argument(a, i, verb)));
    const lp = real(node.lparen);
    const rp = real(node.rparen);
    const full = coverAll(span, args) ?? span;
    return {
      kind: "Action",
      range: full,
      verb,
      verbText: verbTok.image,
      verbRange: tokRange(verbTok),
      args,
      parenRange: lp ? range(lp.startOffset, rp ? rp.startOffset + 1 : full.end) : range(full.end, full.end),
    };
  }

  private argument(node: ArgumentNode, position: number, verb: ActionName | undefined): Argument | undefined {
    const own = directSpan(node);
    const nameTok = real(node.name);
    const eqTok = real(node.equals);
    const exprNode = node.expr;
    const lowered = exprNode && hasTokens(exprNode) ? this.expr(exprNode) : undefined;
    const span = cover2(own, lowered?.range);
    if (!span) return undefined;
    const value: Expr = lowered ?? { kind: "ErrorNode", range: range(span.end, span.end) };
    if (!nameTok) {
      // A positional argument.
      const guessName: ArgumentName =
        position === 0 ? (value.kind === "Identifier" && verb !== "issueproperty" ? "claim" : "type") : "value";
      this.diagnostics.push(
        diagnostic("P1010", value.range, `missing argument name: write \`${guessName}=\` before the value`, {
          fix: fixOf(`insert \`${guessName}=\``, range(value.range.start, value.range.start), `${guessName}=`),
        }),
      );
      return { kind: "Argument", range: cover2(span, value.range) ?? span, name: undefined, nameText: "", nameRange: range(span.start, span.start), value };
    }
    let name: ArgumentName | undefined;
    if ((ARGUMENT_NAMES as readonly string[]).includes(nameTok.image)) {
      name = nameTok.image as ArgumentName;
      if (name === "valueType" || name === "issuer") {
        this.diagnostics.push(
          diagnostic("P1022", tokRange(nameTok), `the \`${name}=\` argument is accepted but not documented for Azure Attestation`),
        );
      }
    } else {
      this.diagnostics.push(this.misspelled(nameTok, ARGUMENT_NAMES, "argument name"));
      const guess = suggest(nameTok.image, ARGUMENT_NAMES);
      if (guess && guess.toLowerCase() === nameTok.image.toLowerCase()) name = guess as ArgumentName;
    }
    if (eqTok && eqTok.tokenType !== Assign) {
      this.diagnostics.push(
        diagnostic("P1001", tokRange(eqTok), `unexpected \`${eqTok.image}\` after \`${nameTok.image}\`: arguments are named with \`=\``, {
          fix: fixOf("replace with `=`", tokRange(eqTok), "="),
        }),
      );
    }
    return {
      kind: "Argument",
      range: cover2(span, value.range) ?? span,
      name,
      nameText: nameTok.image,
      nameRange: tokRange(nameTok),
      value,
    };
  }

  private expr(node: ExprNode): Expr {
    const lit = real(node.literal);
    if (lit) return this.literal(lit);
    const span = directSpan(node) ?? range(0, 0);
    const callee = real(node.callee);
    if (callee) {
      const args = node.args === undefined ? [] : byStart(lowerAll(node.args, (a) => (hasTokens(a) ? this.expr(a) : undefined)));
      const lp = real(node.lparen);
      const rp = real(node.rparen);
      const full = coverAll(span, args) ?? span;
      return {
        kind: "Call",
        range: full,
        callee: callee.image,
        calleeRange: tokRange(callee),
        args,
        parenRange: lp ? range(lp.startOffset, rp ? rp.startOffset + 1 : full.end) : range(full.end, full.end),
      };
    }
    const id = real(node.identifier);
    if (id) {
      const identifier: Identifier = { kind: "Identifier", range: tokRange(id), name: id.image };
      const dot = real(node.dot);
      if (!dot) return identifier;
      const member = real(node.member);
      if (!member) return { kind: "ErrorNode", range: span };
      if (member.image !== "value") {
        const r = tokRange(member);
        const close = member.image.toLowerCase() === "value";
        this.diagnostics.push(
          diagnostic(close ? "P1005" : "P1001", r, `unknown member \`${member.image}\`: only \`${id.image}.value\` can be read`, {
            fix: fixOf("replace with `value`", r, "value"),
          }),
        );
      }
      return { kind: "ValueRef", range: span, identifier, propertyRange: tokRange(member) };
    }
    return { kind: "ErrorNode", range: span };
  }

  private literal(t: IToken): Expr {
    const r = tokRange(t);
    const type = t.tokenType;
    if (type === StringLiteral || type === CurlyString || type === MixedQuoteString) {
      return { kind: "StringLiteral", range: r, value: stringValue(t.image, true) };
    }
    if (type === UnterminatedString) {
      return { kind: "StringLiteral", range: r, value: stringValue(t.image, false) };
    }
    if (type === TrueKw || type === FalseKw) {
      return { kind: "BooleanLiteral", range: r, value: type === TrueKw };
    }
    if (type === Placeholder) return { kind: "ErrorNode", range: r };
    if (type === DecimalLiteral) {
      const whole = t.image.slice(0, t.image.indexOf("."));
      this.diagnostics.push(
        diagnostic("P1015", r, `unexpected fraction \`${t.image}\`: numbers are integers`, {
          fix: fixOf(`replace with \`${whole}\``, r, whole),
        }),
      );
      return { kind: "IntegerLiteral", range: r, value: Number(whole), raw: t.image };
    }
    if (type === IntegerLiteral && t.image.length <= 15) {
      // The common case, without a BigInt: at most 15 characters is well inside the 64-bit range
      // and exact as a number (`+ 0` turns `-0` into 0, as `Number(BigInt("-0"))` does).
      if (t.image.charCodeAt(0) === 0x2d) {
        this.diagnostics.push(diagnostic("P1016", r, `negative integer \`${t.image}\` is accepted but not documented`));
      }
      return { kind: "IntegerLiteral", range: r, value: Number(t.image) + 0, raw: t.image };
    }
    if (type === HexLiteral || type === IntegerLiteral) {
      let big: bigint;
      try {
        big = type === HexLiteral && t.image.startsWith("-") ? -BigInt(t.image.slice(1)) : BigInt(t.image);
      } catch {
        big = 0n;
      }
      if (big > INT64_MAX || big < INT64_MIN) {
        this.diagnostics.push(diagnostic("P1017", r, `integer \`${t.image}\` is outside the signed 64-bit range`));
      } else if (type === IntegerLiteral && t.image.startsWith("-")) {
        this.diagnostics.push(diagnostic("P1016", r, `negative integer \`${t.image}\` is accepted but not documented`));
      }
      return { kind: "IntegerLiteral", range: r, value: Number(big), raw: t.image };
    }
    return { kind: "ErrorNode", range: r };
  }

  private misspelled(t: IToken, candidates: readonly string[], what: string): Diagnostic {
    const guess = suggest(t.image, candidates);
    const r = tokRange(t);
    const list = describeExpected(candidates.map((c) => c + "Kw"));
    return diagnostic(
      "P1005",
      r,
      guess ? `unknown ${what} \`${t.image}\`: did you mean \`${guess}\`?` : `unknown ${what} \`${t.image}\`: expected ${list}`,
      { fix: guess ? fixOf(`replace with \`${guess}\``, r, guess) : undefined },
    );
  }

  // -------------------------------------------------------------------------------------------
  // Errors and cascades
  // -------------------------------------------------------------------------------------------

  private stray(t: IToken): void {
    const index = this.indexOf(t);
    if (index === undefined) return;
    this.events.push({ index, kind: "stray", token: t });
  }

  private recognitionErrors(errors: readonly IRecognitionException[]): void {
    const { text, tokens } = this.input;
    for (const e of errors) {
      let info: ParseErrorInfo;
      try {
        info = JSON.parse(e.message) as ParseErrorInfo;
      } catch {
        info = { kind: "noViableAlt", expected: [], ruleName: "" };
      }
      const actual = isReal(e.token) ? e.token : undefined;
      const previous = (e as unknown as { previousToken?: IToken }).previousToken;
      const prevEnd = isReal(previous) ? previous.startOffset + previous.image.length : undefined;
      let index = actual ? (this.indexOf(actual) ?? tokens.length) : tokens.length;
      const at = actual ? tokRange(actual) : range(text.length, text.length);
      // A token the lexer already reported (an unterminated string, `||`, …) causes no second diagnostic.
      if ((actual && LEXICALLY_REPORTED.has(actual.tokenType)) || (isReal(previous) && LEXICALLY_REPORTED.has(previous.tokenType))) {
        this.events.push({ index, kind: "error" });
        continue;
      }
      let d: Diagnostic;
      if (
        info.kind === "mismatch" &&
        (info.expected[0] === "RParen" || info.expected[0] === "RBracket") &&
        actual &&
        prevEnd !== undefined &&
        LIST_ITEM_START.has(actual.tokenType)
      ) {
        d = diagnostic("P1001", range(prevEnd, prevEnd), `missing \`,\` before ${describeToken(actual)}`, {
          fix: fixOf("insert `,`", range(prevEnd, prevEnd), ","),
        });
      } else if (info.kind === "mismatch" && info.expected[0] === "Semicolon") {
        const where = prevEnd ?? at.start;
        const what =
          info.ruleName === "rule" ? "the rule" : info.ruleName === "section" ? "the section's `}`" : info.ruleName === "versionStatement" ? "the version statement" : "the statement";
        d = diagnostic("P1002", range(where, where), `missing \`;\` after ${what}`, {
          fix: fixOf("insert `;`", range(where, where), ";"),
        });
        // The error belongs to the statement that precedes the insertion point.
        index = Math.max(0, index - 1);
      } else {
        const expected = describeExpected(info.expected);
        const fix = this.insertionFix(info, prevEnd);
        const message = `unexpected ${describeToken(actual)}${expected ? `: expected ${expected}` : ""}`;
        const where = actual ? at : range(prevEnd ?? text.length, prevEnd ?? text.length);
        d = diagnostic("P1001", where, message, { fix });
      }
      this.events.push({ index, kind: "error", diagnostic: d });
    }
  }

  private insertionFix(info: ParseErrorInfo, prevEnd: number | undefined): Fix | undefined {
    if (info.kind !== "mismatch" || prevEnd === undefined) return undefined;
    const insert: Record<string, string> = { RBracket: "]", RParen: ")", RBrace: "}", Comma: ",", Colon: ":" };
    const s = info.expected[0] === "RBrace" && info.ruleName === "section" ? "};" : insert[info.expected[0] ?? ""];
    return s ? fixOf(`insert \`${s}\``, range(prevEnd, prevEnd), s) : undefined;
  }

  /** Orders errors, clean statements and stray tokens; reports what is not part of a cascade. */
  private resolveCascades(): void {
    const order = { error: 0, clean: 1, stray: 2 } as const;
    this.events.sort((a, b) => a.index - b.index || order[a.kind] - order[b.kind]);
    let inCascade = false;
    let lastErrorIndex = -2;
    let run: IToken[] = [];
    let runEnd = -2;
    const flush = () => {
      if (run.length === 0) return;
      const first = run[0] as IToken;
      const last = run[run.length - 1] as IToken;
      const r = range(first.startOffset, last.startOffset + last.image.length);
      if (run.every((t) => t.tokenType === Semicolon)) {
        this.diagnostics.push(
          diagnostic("P1026", r, "unexpected `;`: a stray semicolon", { fix: fixOf("remove the `;`", r, "") }),
        );
      } else {
        const shown = run.length === 1 ? describeToken(first) : `${describeToken(first)} and ${run.length - 1} more token${run.length > 2 ? "s" : ""}`;
        this.diagnostics.push(diagnostic("P1001", r, `unexpected ${shown}: expected a rule, a section or \`version\``));
      }
      run = [];
    };
    for (const ev of this.events) {
      if (ev.kind === "error") {
        flush();
        // Several recognition errors in one broken statement: report the first.
        if (!(inCascade && ev.index <= lastErrorIndex + 1)) {
          if (ev.diagnostic) this.diagnostics.push(ev.diagnostic);
        }
        inCascade = true;
        lastErrorIndex = ev.index;
      } else if (ev.kind === "clean") {
        flush();
        inCascade = false;
      } else if (ev.token) {
        if (inCascade) {
          if (ev.token.tokenType === Semicolon) inCascade = false;
          continue;
        }
        if (run.length > 0 && ev.index !== runEnd + 1) flush();
        run.push(ev.token);
        runEnd = ev.index;
      }
    }
    flush();
  }
}
