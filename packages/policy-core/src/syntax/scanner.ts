/**
 * The hand-written scanner: text to Chevrotain tokens, exactly as a Chevrotain `Lexer` built from
 * `allTokens` would produce them (same token types, images, offsets and unexpected-character
 * runs), about ten times faster. `tokens.ts` stays the definition of the vocabulary (names,
 * categories and the regular expressions that document each token); a differential property
 * test (`test/property/scanner.prop.test.ts`) runs both on random and real-world text.
 *
 * Chevrotain's rules, reproduced here: at each offset the first pattern of `allTokens` that
 * matches wins (not the longest), except that a keyword gives way to a longer `Identifier`; where
 * nothing matches, characters are dropped until some pattern matches, and the dropped run is one
 * error.
 */
import type { IToken, TokenType } from "chevrotain";
import {
  AddKw,
  AndAnd,
  Arrow,
  Assign,
  AuthorizationrulesKw,
  Bang,
  BlockComment,
  ClaimKw,
  Colon,
  Comma,
  ConfigurationrulesKw,
  CurlyString,
  DecimalLiteral,
  DenyKw,
  Dot,
  EqEq,
  FalseKw,
  Gt,
  GtEq,
  HexLiteral,
  Identifier,
  IntegerLiteral,
  IssuancerulesKw,
  IssueKw,
  IssuepropertyKw,
  IssuerKw,
  LBrace,
  LBracket,
  LParen,
  LineComment,
  Lt,
  LtEq,
  MixedQuoteString,
  NotEq,
  OrOr,
  PermitKw,
  Placeholder,
  RBrace,
  RBracket,
  RParen,
  Semicolon,
  StringLiteral,
  TrueKw,
  TypeKw,
  UnterminatedString,
  ValueKw,
  ValueTypeKw,
  VersionKw,
} from "./tokens.js";

/** A run of characters no token matches. */
export interface ScanError {
  readonly offset: number;
  readonly length: number;
}

/** The result of `scan`. */
export interface ScanResult {
  /** Significant tokens, in order. */
  readonly tokens: IToken[];
  /** Line and block comments, in order. */
  readonly comments: IToken[];
  readonly errors: ScanError[];
  /** The offset where scanning stopped: the end of the text, or the end of the last token at or after `to`. */
  readonly stop: number;
}

const KEYWORDS = new Map<string, TokenType>([
  ["version", VersionKw],
  ["configurationrules", ConfigurationrulesKw],
  ["authorizationrules", AuthorizationrulesKw],
  ["issuancerules", IssuancerulesKw],
  ["permit", PermitKw],
  ["deny", DenyKw],
  ["add", AddKw],
  ["issueproperty", IssuepropertyKw],
  ["issuer", IssuerKw],
  ["issue", IssueKw],
  ["type", TypeKw],
  ["valueType", ValueTypeKw],
  ["value", ValueKw],
  ["claim", ClaimKw],
  ["true", TrueKw],
  ["false", FalseKw],
]);

/** The keywords by first character, so that a word is looked up without copying it. */
const KEYWORDS_BY_FIRST: (readonly (readonly [string, TokenType])[])[] = Array.from({ length: 128 }, () => []);
for (const [word, type] of KEYWORDS) (KEYWORDS_BY_FIRST[word.charCodeAt(0)] as (readonly [string, TokenType])[]).push([word, type]);

/** The type of the word at `p`; for a keyword, `matchImage` is set to the keyword (no copy of the text). */
function wordType(text: string, p: number, length: number): TokenType {
  const candidates = KEYWORDS_BY_FIRST[text.charCodeAt(p)] as readonly (readonly [string, TokenType])[];
  for (let i = 0; i < candidates.length; i++) {
    const [word, type] = candidates[i] as readonly [string, TokenType];
    if (word.length === length && text.startsWith(word, p)) {
      matchImage = word;
      return type;
    }
  }
  return Identifier;
}

/** Single-character punctuation, by character code (below 128; no holes, so reads stay fast). */
const SINGLE: (TokenType | undefined)[] = new Array<TokenType | undefined>(128).fill(undefined);
SINGLE[0x3a] = Colon;
SINGLE[0x2c] = Comma;
SINGLE[0x3b] = Semicolon;
SINGLE[0x2e] = Dot;
SINGLE[0x28] = LParen;
SINGLE[0x29] = RParen;
SINGLE[0x5b] = LBracket;
SINGLE[0x5d] = RBracket;
SINGLE[0x7b] = LBrace;
SINGLE[0x7d] = RBrace;
/** Their images, so that no string is copied for them. */
const SINGLE_IMAGE: (string | undefined)[] = SINGLE.map((t, c) => (t === undefined ? undefined : String.fromCharCode(c)));

const enum C {
  Tab = 0x09,
  Lf = 0x0a,
  Vt = 0x0b,
  Ff = 0x0c,
  Cr = 0x0d,
  Space = 0x20,
  Bang = 0x21,
  Quote = 0x22,
  Amp = 0x26,
  Star = 0x2a,
  Minus = 0x2d,
  Slash = 0x2f,
  Zero = 0x30,
  Nine = 0x39,
  Lt = 0x3c,
  Eq = 0x3d,
  Gt = 0x3e,
  Backslash = 0x5c,
  Underscore = 0x5f,
  Pipe = 0x7c,
  Bom = 0xfeff,
}

function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}
function isDigit(c: number): boolean {
  return c >= C.Zero && c <= C.Nine;
}
function isWordPart(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === C.Underscore;
}
function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}
function isWhiteSpace(c: number): boolean {
  return c === C.Space || c === C.Lf || c === C.Cr || c === C.Tab || c === C.Vt || c === C.Ff;
}
/** `“ ” „ ‟ ″`: the typographic double quotes (and the double prime). */
function isCurlyDouble(c: number): boolean {
  return (c >= 0x201c && c <= 0x201f) || c === 0x2033;
}
/** `‘ ’` */
function isCurlySingle(c: number): boolean {
  return c === 0x2018 || c === 0x2019;
}

// The match at an offset: the token type (null for skipped text, undefined for no match) and its end.
let matchType: TokenType | null | undefined;
let matchEnd = 0;
/** The image of the match when it is a fixed string (a keyword, punctuation, an operator), else undefined. */
let matchImage: string | undefined;

/** `"(?:[^"\\\r\n]|\\[^\r\n])*"`, then `MixedQuoteString`, then `UnterminatedString` (which always matches). */
function matchString(text: string, p: number): void {
  const n = text.length;
  let i = p + 1;
  for (;;) {
    if (i >= n) break;
    const c = text.charCodeAt(i);
    if (c === C.Quote) {
      matchType = StringLiteral;
      matchEnd = i + 1;
      return;
    }
    if (c === C.Backslash) {
      if (i + 1 >= n) break;
      const d = text.charCodeAt(i + 1);
      if (d === C.Cr || d === C.Lf) break;
      i += 2;
      continue;
    }
    if (c === C.Cr || c === C.Lf) break;
    i++;
  }
  // Where the string stopped: `i` is at the end of the text, at a line break, or at a backslash
  // that escapes nothing (before a line break or the end).
  const stop = i;
  for (let j = p + 1; j < n; j++) {
    const c = text.charCodeAt(j);
    if (isCurlyDouble(c)) {
      matchType = MixedQuoteString;
      matchEnd = j + 1;
      return;
    }
    if (c === C.Quote || c === C.Backslash || c === C.Cr || c === C.Lf) break;
  }
  matchType = UnterminatedString;
  matchEnd = stop < n && text.charCodeAt(stop) === C.Backslash ? stop + 1 : stop;
}

/** `CurlyString`: a string opened by a typographic quote, or no match. */
function matchCurly(text: string, p: number, double: boolean): void {
  const n = text.length;
  for (let i = p + 1; i < n; i++) {
    const c = text.charCodeAt(i);
    if (double ? c === C.Quote || isCurlyDouble(c) : isCurlySingle(c)) {
      matchType = CurlyString;
      matchEnd = i + 1;
      return;
    }
    if (c === C.Cr || c === C.Lf || (!double && c === C.Quote)) break;
  }
  matchType = undefined;
}

/** `HexLiteral`, `DecimalLiteral`, `IntegerLiteral` from `p` (a digit, or `-` before a digit). */
function matchNumber(text: string, p: number): void {
  const n = text.length;
  let q = p;
  if (text.charCodeAt(q) === C.Minus) q++;
  if (text.charCodeAt(q) === C.Zero && (text.charCodeAt(q + 1) | 0x20) === 0x78 && isHexDigit(text.charCodeAt(q + 2))) {
    let i = q + 3;
    while (i < n && isHexDigit(text.charCodeAt(i))) i++;
    matchType = HexLiteral;
    matchEnd = i;
    return;
  }
  let i = q;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === 0x2e && isDigit(text.charCodeAt(i + 1))) {
    let j = i + 2;
    while (j < n && isDigit(text.charCodeAt(j))) j++;
    matchType = DecimalLiteral;
    matchEnd = j;
    return;
  }
  matchType = IntegerLiteral;
  matchEnd = i;
}

/** Sets `matchType` and `matchEnd` to the token at `p` (`p` < text length). */
function matchAt(text: string, p: number): void {
  const n = text.length;
  const c = text.charCodeAt(p);
  matchImage = undefined;
  if (isLetter(c)) {
    let i = p + 1;
    while (i < n && isWordPart(text.charCodeAt(i))) i++;
    matchType = wordType(text, p, i - p);
    matchEnd = i;
    return;
  }
  const single = c < 128 ? SINGLE[c] : undefined;
  if (single !== undefined) {
    matchType = single;
    matchEnd = p + 1;
    matchImage = SINGLE_IMAGE[c];
    return;
  }
  if (isWhiteSpace(c)) {
    let i = p + 1;
    while (i < n && isWhiteSpace(text.charCodeAt(i))) i++;
    matchType = null;
    matchEnd = i;
    return;
  }
  const next = p + 1 < n ? text.charCodeAt(p + 1) : -1;
  switch (c) {
    case C.Quote:
      return matchString(text, p);
    case C.Eq:
      matchType = next === C.Gt ? Arrow : next === C.Eq ? EqEq : Assign;
      matchEnd = matchType === Assign ? p + 1 : p + 2;
      matchImage = next === C.Gt ? "=>" : next === C.Eq ? "==" : "=";
      return;
    case C.Bang:
      matchType = next === C.Eq ? NotEq : Bang;
      matchEnd = next === C.Eq ? p + 2 : p + 1;
      matchImage = next === C.Eq ? "!=" : "!";
      return;
    case C.Gt:
      matchType = next === C.Eq ? GtEq : Gt;
      matchEnd = next === C.Eq ? p + 2 : p + 1;
      matchImage = next === C.Eq ? ">=" : ">";
      return;
    case C.Lt: {
      if (isLetter(next) || next === C.Underscore) {
        let i = p + 2;
        while (i < n) {
          const d = text.charCodeAt(i);
          if (!(isWordPart(d) || d === C.Minus)) break;
          i++;
        }
        if (text.charCodeAt(i) === C.Gt) {
          matchType = Placeholder;
          matchEnd = i + 1;
          return;
        }
      }
      matchType = next === C.Eq ? LtEq : Lt;
      matchEnd = next === C.Eq ? p + 2 : p + 1;
      matchImage = next === C.Eq ? "<=" : "<";
      return;
    }
    case C.Amp:
      matchType = next === C.Amp ? AndAnd : undefined;
      matchEnd = p + 2;
      matchImage = "&&";
      return;
    case C.Pipe:
      matchType = next === C.Pipe ? OrOr : undefined;
      matchEnd = p + 2;
      return;
    case C.Slash:
      if (next === C.Slash) {
        let i = p + 2;
        while (i < n) {
          const d = text.charCodeAt(i);
          if (d === C.Cr || d === C.Lf) break;
          i++;
        }
        matchType = LineComment;
        matchEnd = i;
        return;
      }
      if (next === C.Star) {
        const close = text.indexOf("*/", p + 2);
        matchType = BlockComment;
        matchEnd = close < 0 ? n : close + 2;
        return;
      }
      matchType = undefined;
      return;
    case C.Minus:
      if (isDigit(next)) return matchNumber(text, p);
      matchType = undefined;
      return;
    case C.Bom:
      matchType = null;
      matchEnd = p + 1;
      return;
    default:
      if (isDigit(c)) return matchNumber(text, p);
      if (isCurlyDouble(c)) return matchCurly(text, p, true);
      if (isCurlySingle(c)) return matchCurly(text, p, false);
      matchType = undefined;
  }
}

/**
 * Splits `text` into tokens, comments and unexpected-character runs. Never throws; linear time.
 * With `from` and `to`, scans only the tokens that start in `[from, to)`, each matched against
 * the whole text (so a token may end after `to`: see `stop`); `from` must be where a token of the
 * whole text's scan starts (or where skipped text ends).
 */
export function scan(text: string, from = 0, to = text.length): ScanResult {
  const tokens: IToken[] = [];
  const comments: IToken[] = [];
  const errors: ScanError[] = [];
  const n = text.length;
  let p = from;
  while (p < to) {
    matchAt(text, p);
    const type = matchType;
    if (type === undefined) {
      // Drop characters until some token matches again.
      const start = p;
      do {
        p++;
        if (p >= n) break;
        matchAt(text, p);
      } while (matchType === undefined);
      errors.push({ offset: start, length: p - start });
      continue;
    }
    const end = matchEnd;
    if (type !== null) {
      const image = matchImage ?? text.slice(p, end);
      const token: IToken = { image, startOffset: p, tokenTypeIdx: type.tokenTypeIdx as number, tokenType: type } as IToken;
      if (type === LineComment || type === BlockComment) comments.push(token);
      else tokens.push(token);
    }
    p = end;
  }
  return { tokens, comments, errors, stop: p };
}
