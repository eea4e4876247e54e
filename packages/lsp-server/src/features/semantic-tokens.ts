/**
 * Semantic tokens (full and delta): keywords, sections, actions, properties, identifiers
 * (declarations marked), functions, strings (deprecated claim types marked), numbers, operators
 * and comments, from the lexer's tokens.
 */
import { FUNCTION_NAMES, findClaim, tokenize, type LineIndex } from "@maa-policy/core";
import * as lsp from "vscode-languageserver";

/** The token types, in legend order. */
export const TOKEN_TYPES = ["keyword", "namespace", "function", "variable", "property", "string", "number", "operator", "comment"] as const;
/** The token modifiers, in legend order. */
export const TOKEN_MODIFIERS = ["declaration", "deprecated", "defaultLibrary"] as const;

/** The legend advertised in the server capabilities. */
export const SEMANTIC_TOKENS_LEGEND: lsp.SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

type TokenType = (typeof TOKEN_TYPES)[number];

const BY_LEXER_NAME: Readonly<Record<string, TokenType>> = {
  VersionKw: "keyword",
  ConfigurationrulesKw: "namespace",
  AuthorizationrulesKw: "namespace",
  IssuancerulesKw: "namespace",
  PermitKw: "keyword",
  DenyKw: "keyword",
  AddKw: "keyword",
  IssueKw: "keyword",
  IssuepropertyKw: "keyword",
  TypeKw: "property",
  ValueKw: "property",
  IssuerKw: "property",
  ClaimKw: "property",
  ValueTypeKw: "property",
  TrueKw: "keyword",
  FalseKw: "keyword",
  StringLiteral: "string",
  UnterminatedString: "string",
  CurlyString: "string",
  MixedQuoteString: "string",
  IntegerLiteral: "number",
  DecimalLiteral: "number",
  HexLiteral: "number",
  EqEq: "operator",
  NotEq: "operator",
  LtEq: "operator",
  GtEq: "operator",
  Lt: "operator",
  Gt: "operator",
  Assign: "operator",
  Arrow: "operator",
  AndAnd: "operator",
  OrOr: "operator",
  Bang: "operator",
};

const FUNCTIONS = new Set<string>(FUNCTION_NAMES);

/** One semantic token, before encoding. */
export interface SemanticToken {
  readonly line: number;
  readonly character: number;
  readonly length: number;
  readonly type: number;
  readonly modifiers: number;
}

/** The semantic tokens of `text`, in document order. */
export function semanticTokens(text: string, index: LineIndex): SemanticToken[] {
  const lexed = tokenize(text);
  const raw: { start: number; length: number; type: TokenType; modifiers: number }[] = [];
  const toks = lexed.tokens;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (!t) continue;
    const name = t.tokenType.name;
    let type = BY_LEXER_NAME[name];
    let modifiers = 0;
    if (name === "Identifier") {
      const next = toks[i + 1]?.tokenType.name;
      if (next === "LParen") {
        type = "function";
        if (FUNCTIONS.has(t.image)) modifiers |= 1 << 2;
      } else {
        type = "variable";
        if (next === "Colon") modifiers |= 1 << 0;
      }
    } else if (name === "StringLiteral") {
      const claim = findClaim(t.image.slice(1, -1));
      if (claim?.deprecated) modifiers |= 1 << 1;
    }
    if (type) raw.push({ start: t.startOffset, length: t.image.length, type, modifiers });
  }
  for (const c of lexed.comments) raw.push({ start: c.startOffset, length: c.image.length, type: "comment", modifiers: 0 });
  raw.sort((a, b) => a.start - b.start);
  const out: SemanticToken[] = [];
  for (const r of raw) {
    const p = index.position(r.start);
    const end = index.position(r.start + r.length);
    if (end.line !== p.line) {
      // A multi-line token (an unterminated block comment): one token per line.
      for (let l = p.line; l <= end.line; l++) {
        const from = l === p.line ? p.character : 0;
        const to = l === end.line ? end.character : index.lineEnd(l) - index.lineStart(l);
        if (to > from) out.push({ line: l, character: from, length: to - from, type: TOKEN_TYPES.indexOf(r.type), modifiers: r.modifiers });
      }
      continue;
    }
    out.push({ line: p.line, character: p.character, length: r.length, type: TOKEN_TYPES.indexOf(r.type), modifiers: r.modifiers });
  }
  return out;
}

/** Builds full tokens, or a delta against the builder's previous result. */
export function buildSemanticTokens(builder: lsp.SemanticTokensBuilder, tokens: readonly SemanticToken[], previousResultId: string | undefined): lsp.SemanticTokens | lsp.SemanticTokensDelta {
  if (previousResultId !== undefined) builder.previousResult(previousResultId);
  for (const t of tokens) builder.push(t.line, t.character, t.length, t.type, t.modifiers);
  return previousResultId !== undefined && builder.canBuildEdits() ? builder.buildEdits() : builder.build();
}
