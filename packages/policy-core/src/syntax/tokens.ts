/**
 * Chevrotain token types of the policy language.
 *
 * This file is the single source of truth for the language's keywords and punctuation:
 * the TextMate grammar, completion and the formatter all read `KEYWORDS` and friends from here.
 * The lexer is deliberately lenient: it also recognises the mistakes that occur in published
 * policies (typographic quotes, block comments, hex literals, template placeholders, `||`)
 * as tokens of their own, so that the parser can report them precisely and go on.
 */
import { Lexer, createToken, type TokenType } from "chevrotain";

// ---------------------------------------------------------------------------------------------
// Trivia
// ---------------------------------------------------------------------------------------------

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n\f\v]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
/** A byte-order mark (or zero-width no-break space); skipped, reported by the linter when not at offset 0. */
export const ByteOrderMark = createToken({ name: "ByteOrderMark", pattern: /\uFEFF/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\r\n]*/, group: "comments" });
/** `/* … *\/` is not part of the language; lexed so that it can be reported as one error. */
export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*[\s\S]*?(?:\*\/|$(?![\s\S]))/,
  group: "comments",
  line_breaks: true,
});

// ---------------------------------------------------------------------------------------------
// Identifiers and keywords
// ---------------------------------------------------------------------------------------------

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z][A-Za-z0-9_]*/ });

function keyword(word: string, categories: TokenType[] = []): TokenType {
  return createToken({
    name: word.charAt(0).toUpperCase() + word.slice(1) + "Kw",
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories,
  });
}

/** Category of the three section keywords. */
export const SectionKeyword = createToken({ name: "SectionKeyword", pattern: Lexer.NA });
/** Category of the five action verbs. */
export const ActionKeyword = createToken({ name: "ActionKeyword", pattern: Lexer.NA });
/** Category of `type`, `value`, `issuer` (condition properties and argument names). */
export const PropertyKeyword = createToken({ name: "PropertyKeyword", pattern: Lexer.NA });
/** Category of `true` and `false`. */
export const BooleanLiteral = createToken({ name: "BooleanLiteral", pattern: Lexer.NA });

export const VersionKw = keyword("version");
export const ConfigurationrulesKw = keyword("configurationrules", [SectionKeyword]);
export const AuthorizationrulesKw = keyword("authorizationrules", [SectionKeyword]);
export const IssuancerulesKw = keyword("issuancerules", [SectionKeyword]);
export const PermitKw = keyword("permit", [ActionKeyword]);
export const DenyKw = keyword("deny", [ActionKeyword]);
export const AddKw = keyword("add", [ActionKeyword]);
export const IssuepropertyKw = keyword("issueproperty", [ActionKeyword]);
export const IssuerKw = keyword("issuer", [PropertyKeyword]);
export const IssueKw = keyword("issue", [ActionKeyword]);
export const TypeKw = keyword("type", [PropertyKeyword]);
export const ValueTypeKw = keyword("valueType");
export const ValueKw = keyword("value", [PropertyKeyword]);
export const ClaimKw = keyword("claim");
export const TrueKw = keyword("true", [BooleanLiteral]);
export const FalseKw = keyword("false", [BooleanLiteral]);

// ---------------------------------------------------------------------------------------------
// Literals
// ---------------------------------------------------------------------------------------------

/** Category of every token that the parser accepts where a string goes. */
export const StringLike = createToken({ name: "StringLike", pattern: Lexer.NA });
/** `"…"` with `\"` and `\\` escapes, on one line. */
export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  categories: [StringLike],
});
/** A string opened with `"` and closed by a typographic quote (`"11”`); an error with a fix. */
export const MixedQuoteString = createToken({
  name: "MixedQuoteString",
  pattern: /"[^"\\\r\n\u201C\u201D\u201E\u201F\u2033]*[\u201C\u201D\u201E\u201F\u2033]/,
  categories: [StringLike],
});
/** A string opened by a typographic quote (`“…”`, `”…”`, `‘…’`); an error with a fix. */
export const CurlyString = createToken({
  name: "CurlyString",
  pattern:
    /[\u201C\u201D\u201E\u201F\u2033][^"\r\n\u201C\u201D\u201E\u201F\u2033]*["\u201C\u201D\u201E\u201F\u2033]|[\u2018\u2019][^"\r\n\u2018\u2019]*[\u2018\u2019]/,
  categories: [StringLike],
});
/** A string whose closing quote is missing before the end of the line; an error with a fix. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/,
  categories: [StringLike],
});

/** Category of every token that the parser accepts where an integer goes. */
export const IntegerLike = createToken({ name: "IntegerLike", pattern: Lexer.NA });
/** `0xFF`: an error whose fix rewrites it in decimal. */
export const HexLiteral = createToken({ name: "HexLiteral", pattern: /-?0[xX][0-9A-Fa-f]+/, categories: [IntegerLike] });
/** `1.2`: the version number, or a fraction (an error) elsewhere. */
export const DecimalLiteral = createToken({ name: "DecimalLiteral", pattern: /-?\d+\.\d+/, categories: [IntegerLike] });
export const IntegerLiteral = createToken({ name: "IntegerLiteral", pattern: /-?\d+/, categories: [IntegerLike] });
/** `<product-id>`: a template placeholder left in a policy; an error. */
export const Placeholder = createToken({ name: "Placeholder", pattern: /<[A-Za-z_][A-Za-z0-9_-]*>/ });

// ---------------------------------------------------------------------------------------------
// Punctuation
// ---------------------------------------------------------------------------------------------

/** Category of the comparison operators, `=` included (it is parsed as `==` with an error). */
export const Comparison = createToken({ name: "Comparison", pattern: Lexer.NA });

export const Arrow = createToken({ name: "Arrow", pattern: /=>/ });
export const EqEq = createToken({ name: "EqEq", pattern: /==/, categories: [Comparison] });
export const NotEq = createToken({ name: "NotEq", pattern: /!=/, categories: [Comparison] });
export const LtEq = createToken({ name: "LtEq", pattern: /<=/, categories: [Comparison] });
export const GtEq = createToken({ name: "GtEq", pattern: />=/, categories: [Comparison] });
export const Lt = createToken({ name: "Lt", pattern: /</, categories: [Comparison] });
export const Gt = createToken({ name: "Gt", pattern: />/, categories: [Comparison] });
export const Assign = createToken({ name: "Assign", pattern: /=/, categories: [Comparison] });
export const AndAnd = createToken({ name: "AndAnd", pattern: /&&/ });
/** `||` is not part of the language; lexed so that the parser can say so and suggest two rules. */
export const OrOr = createToken({ name: "OrOr", pattern: /\|\|/ });
export const Bang = createToken({ name: "Bang", pattern: /!/ });
export const Colon = createToken({ name: "Colon", pattern: /:/ });
export const Comma = createToken({ name: "Comma", pattern: /,/ });
export const Semicolon = createToken({ name: "Semicolon", pattern: /;/ });
export const Dot = createToken({ name: "Dot", pattern: /\./ });
export const LParen = createToken({ name: "LParen", pattern: /\(/ });
export const RParen = createToken({ name: "RParen", pattern: /\)/ });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/ });
export const RBracket = createToken({ name: "RBracket", pattern: /]/ });
export const LBrace = createToken({ name: "LBrace", pattern: /{/ });
export const RBrace = createToken({ name: "RBrace", pattern: /}/ });

/**
 * Category of every significant token. The parser consumes it to skip stray tokens one by one
 * (its diagnostics are grouped), so that a mistake never stops the parse.
 */
export const AnyToken = createToken({ name: "AnyToken", pattern: Lexer.NA });

/** Every token type, in the order the lexer tries them (longest and most specific first). */
export const allTokens: TokenType[] = [
  WhiteSpace,
  ByteOrderMark,
  LineComment,
  BlockComment,
  StringLiteral,
  MixedQuoteString,
  UnterminatedString,
  CurlyString,
  HexLiteral,
  DecimalLiteral,
  IntegerLiteral,
  Placeholder,
  Arrow,
  EqEq,
  NotEq,
  LtEq,
  GtEq,
  Lt,
  Gt,
  Assign,
  AndAnd,
  OrOr,
  Bang,
  Colon,
  Comma,
  Semicolon,
  Dot,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  // Keywords before Identifier; `issueproperty` and `issuer` before `issue`, `valueType` before `value`.
  VersionKw,
  ConfigurationrulesKw,
  AuthorizationrulesKw,
  IssuancerulesKw,
  PermitKw,
  DenyKw,
  AddKw,
  IssuepropertyKw,
  IssuerKw,
  IssueKw,
  TypeKw,
  ValueTypeKw,
  ValueKw,
  ClaimKw,
  TrueKw,
  FalseKw,
  Identifier,
  SectionKeyword,
  ActionKeyword,
  PropertyKeyword,
  BooleanLiteral,
  StringLike,
  IntegerLike,
  Comparison,
  AnyToken,
];

// Every significant token also belongs to `AnyToken`; this must run before a lexer or parser is built.
for (const t of allTokens) {
  if (t.PATTERN === Lexer.NA || t.GROUP !== undefined) continue;
  t.CATEGORIES = [...(t.CATEGORIES ?? []), AnyToken];
}

// ---------------------------------------------------------------------------------------------
// Word lists (the single source of truth for tools)
// ---------------------------------------------------------------------------------------------

/** The section names, in the order they must appear. */
export const SECTION_NAMES = ["configurationrules", "authorizationrules", "issuancerules"] as const;
/** A section name. */
export type SectionName = (typeof SECTION_NAMES)[number];

/** The action verbs. */
export const ACTION_NAMES = ["permit", "deny", "add", "issue", "issueproperty"] as const;
/** An action verb. */
export type ActionName = (typeof ACTION_NAMES)[number];

/** The properties a condition test may examine. */
export const PROPERTY_NAMES = ["type", "value", "issuer"] as const;
/** A condition property. */
export type PropertyName = (typeof PROPERTY_NAMES)[number];

/** Argument names of `add`, `issue` and `issueproperty`. */
export const ARGUMENT_NAMES = ["claim", "type", "value", "valueType", "issuer"] as const;
/** An action argument name. */
export type ArgumentName = (typeof ARGUMENT_NAMES)[number];

/** The claim functions (version 1.2). */
export const FUNCTION_NAMES = [
  "JmesPath",
  "JsonToClaimValue",
  "IsSubsetOf",
  "AppendString",
  "NegateBool",
  "ContainsOnlyValue",
] as const;
/** A claim function name. */
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** Every keyword of the language (lowercase and case-sensitive, `valueType` aside). */
export const KEYWORDS = [
  "version",
  ...SECTION_NAMES,
  ...ACTION_NAMES,
  "type",
  "value",
  "issuer",
  "claim",
  "valueType",
  "true",
  "false",
] as const;

/** The comparison operators. */
export const COMPARISON_OPERATORS = ["==", "!=", "<", "<=", ">", ">="] as const;
/** A comparison operator. */
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** The policy versions the toolchain knows. */
export const KNOWN_VERSIONS = ["1.0", "1.1", "1.2"] as const;
