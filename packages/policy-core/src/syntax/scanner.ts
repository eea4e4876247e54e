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
  /**
   * The tokens a lexical diagnostic may be about, in order: strings with an escape or a mistake,
   * hexadecimal literals, placeholders and `||` (a string without an escape never has one).
   */
  readonly flagged: IToken[];
  /** How deep `(` nest (never below zero: a `)` too many only lowers the count). */
  readonly maxDepth: number;
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

/** The type of the word at `p`; for a keyword, `m.image` is set to the keyword (no copy of the text). */
function wordType(text: string, p: number, length: number): TokenType {
  const candidates = KEYWORDS_BY_FIRST[text.charCodeAt(p)] as readonly (readonly [string, TokenType])[];
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i] as readonly [string, TokenType];
    const word = candidate[0];
    const type = candidate[1];
    if (word.length === length && text.startsWith(word, p)) {
      m.image = word;
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
/** The token types a lexical diagnostic may be about (`lexer.ts`). */
const FLAGGED = new Set<TokenType>([StringLiteral, CurlyString, MixedQuoteString, UnterminatedString, HexLiteral, Placeholder, OrOr]);
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

/**
 * The match at an offset: the token type (null for skipped text, undefined for no match), its end,
 * and its image when it is a fixed string (a keyword, punctuation, an operator), else undefined.
 */
const m: { type: TokenType | null | undefined; end: number; image: string | undefined } = { type: undefined, end: 0, image: undefined };

/** `"(?:[^"\\\r\n]|\\[^\r\n])*"`, then `MixedQuoteString`, then `UnterminatedString` (which always matches). */
function matchString(text: string, p: number): void {
  const n = text.length;
  let i = p + 1;
  for (;;) {
    if (i >= n) break;
    const c = text.charCodeAt(i);
    if (c === C.Quote) {
      m.type = StringLiteral;
      m.end = i + 1;
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
      m.type = MixedQuoteString;
      m.end = j + 1;
      return;
    }
    if (c === C.Quote || c === C.Backslash || c === C.Cr || c === C.Lf) break;
  }
  m.type = UnterminatedString;
  m.end = stop < n && text.charCodeAt(stop) === C.Backslash ? stop + 1 : stop;
}

/** `CurlyString`: a string opened by a typographic quote, or no match. */
function matchCurly(text: string, p: number, double: boolean): void {
  const n = text.length;
  for (let i = p + 1; i < n; i++) {
    const c = text.charCodeAt(i);
    if (double ? c === C.Quote || isCurlyDouble(c) : isCurlySingle(c)) {
      m.type = CurlyString;
      m.end = i + 1;
      return;
    }
    if (c === C.Cr || c === C.Lf || (!double && c === C.Quote)) break;
  }
  m.type = undefined;
}

/** `HexLiteral`, `DecimalLiteral`, `IntegerLiteral` from `p` (a digit, or `-` before a digit). */
function matchNumber(text: string, p: number): void {
  const n = text.length;
  let q = p;
  if (text.charCodeAt(q) === C.Minus) q++;
  if (text.charCodeAt(q) === C.Zero && (text.charCodeAt(q + 1) | 0x20) === 0x78 && isHexDigit(text.charCodeAt(q + 2))) {
    let i = q + 3;
    while (i < n && isHexDigit(text.charCodeAt(i))) i++;
    m.type = HexLiteral;
    m.end = i;
    return;
  }
  let i = q;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === 0x2e && isDigit(text.charCodeAt(i + 1))) {
    let j = i + 2;
    while (j < n && isDigit(text.charCodeAt(j))) j++;
    m.type = DecimalLiteral;
    m.end = j;
    return;
  }
  m.type = IntegerLiteral;
  m.end = i;
}

/** Sets `m.type` and `m.end` to the token at `p` (`p` < text length). */
function matchAt(text: string, p: number): void {
  const n = text.length;
  const c = text.charCodeAt(p);
  m.image = undefined;
  if (isLetter(c)) {
    let i = p + 1;
    while (i < n && isWordPart(text.charCodeAt(i))) i++;
    m.type = wordType(text, p, i - p);
    m.end = i;
    return;
  }
  const single = c < 128 ? SINGLE[c] : undefined;
  if (single !== undefined) {
    m.type = single;
    m.end = p + 1;
    m.image = SINGLE_IMAGE[c];
    return;
  }
  if (isWhiteSpace(c)) {
    let i = p + 1;
    while (i < n && isWhiteSpace(text.charCodeAt(i))) i++;
    m.type = null;
    m.end = i;
    return;
  }
  const next = p + 1 < n ? text.charCodeAt(p + 1) : -1;
  switch (c) {
    case C.Quote:
      return matchString(text, p);
    case C.Eq:
      m.type = next === C.Gt ? Arrow : next === C.Eq ? EqEq : Assign;
      m.end = m.type === Assign ? p + 1 : p + 2;
      m.image = next === C.Gt ? "=>" : next === C.Eq ? "==" : "=";
      return;
    case C.Bang:
      m.type = next === C.Eq ? NotEq : Bang;
      m.end = next === C.Eq ? p + 2 : p + 1;
      m.image = next === C.Eq ? "!=" : "!";
      return;
    case C.Gt:
      m.type = next === C.Eq ? GtEq : Gt;
      m.end = next === C.Eq ? p + 2 : p + 1;
      m.image = next === C.Eq ? ">=" : ">";
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
          m.type = Placeholder;
          m.end = i + 1;
          return;
        }
      }
      m.type = next === C.Eq ? LtEq : Lt;
      m.end = next === C.Eq ? p + 2 : p + 1;
      m.image = next === C.Eq ? "<=" : "<";
      return;
    }
    case C.Amp:
      m.type = next === C.Amp ? AndAnd : undefined;
      m.end = p + 2;
      m.image = "&&";
      return;
    case C.Pipe:
      m.type = next === C.Pipe ? OrOr : undefined;
      m.end = p + 2;
      return;
    case C.Slash:
      if (next === C.Slash) {
        let i = p + 2;
        while (i < n) {
          const d = text.charCodeAt(i);
          if (d === C.Cr || d === C.Lf) break;
          i++;
        }
        m.type = LineComment;
        m.end = i;
        return;
      }
      if (next === C.Star) {
        const close = text.indexOf("*/", p + 2);
        m.type = BlockComment;
        m.end = close < 0 ? n : close + 2;
        return;
      }
      m.type = undefined;
      return;
    case C.Minus:
      if (isDigit(next)) return matchNumber(text, p);
      m.type = undefined;
      return;
    case C.Bom:
      m.type = null;
      m.end = p + 1;
      return;
    default:
      if (isDigit(c)) return matchNumber(text, p);
      if (isCurlyDouble(c)) return matchCurly(text, p, true);
      if (isCurlySingle(c)) return matchCurly(text, p, false);
      m.type = undefined;
  }
}

/** How `scan` treats a character below 128: by a fast path of its own, or by `matchAt`. */
const enum Fast {
  General = 0,
  Space = 1,
  Letter = 2,
  Single = 3,
  Quote = 4,
}
const FAST = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  FAST[c] = isWhiteSpace(c) ? Fast.Space : isLetter(c) ? Fast.Letter : SINGLE[c] !== undefined ? Fast.Single : c === C.Quote ? Fast.Quote : Fast.General;
}

/**
 * Splits `text` into tokens, comments and unexpected-character runs. Never throws; linear time.
 * With `from` and `to`, scans only the tokens that start in `[from, to)`, each matched against
 * the whole text (so a token may end after `to`: see `stop`); `from` must be where a token of the
 * whole text's scan starts (or where skipped text ends).
 *
 * The common tokens (white space, words, one-character punctuation, strings without escapes on
 * one line) are matched here, inline, and everything else by `matchAt`: the same matches
 * (`test/property/scanner.prop.test.ts`), about half the time.
 */
export function scan(text: string, from = 0, to = text.length): ScanResult {
  const tokens: IToken[] = [];
  const comments: IToken[] = [];
  const errors: ScanError[] = [];
  const flagged: IToken[] = [];
  const n = text.length;
  let p = from;
  let depth = 0;
  let maxDepth = 0;
  while (p < to) {
    const c = text.charCodeAt(p);
    const fast = c < 128 ? (FAST[c] as Fast) : Fast.General;
    if (fast === Fast.Space) {
      p++;
      while (p < n && isWhiteSpace(text.charCodeAt(p))) p++;
      continue;
    }
    if (fast === Fast.Letter) {
      let i = p + 1;
      while (i < n && isWordPart(text.charCodeAt(i))) i++;
      m.image = undefined;
      const type = wordType(text, p, i - p);
      const image = m.image ?? text.slice(p, i);
      tokens.push({ image, startOffset: p, tokenTypeIdx: type.tokenTypeIdx as number, tokenType: type } as IToken);
      p = i;
      continue;
    }
    if (fast === Fast.Single) {
      const type = SINGLE[c] as TokenType;
      if (c === 0x28) {
        if (++depth > maxDepth) maxDepth = depth;
      } else if (c === 0x29 && depth > 0) depth--;
      tokens.push({ image: SINGLE_IMAGE[c] as string, startOffset: p, tokenTypeIdx: type.tokenTypeIdx as number, tokenType: type } as IToken);
      p++;
      continue;
    }
    if (fast === Fast.Quote) {
      // A string without escapes on one line; anything else is `matchString`'s.
      let i = p + 1;
      let d = -1;
      while (i < n) {
        d = text.charCodeAt(i);
        if (d === C.Quote || d === C.Backslash || d === C.Lf || d === C.Cr) break;
        i++;
      }
      if (d === C.Quote && i < n) {
        tokens.push({ image: text.slice(p, i + 1), startOffset: p, tokenTypeIdx: StringLiteral.tokenTypeIdx as number, tokenType: StringLiteral } as IToken);
        p = i + 1;
        continue;
      }
    }
    matchAt(text, p);
    const type = m.type;
    if (type === undefined) {
      // Drop characters until some token matches again.
      const start = p;
      do {
        p++;
        if (p >= n) break;
        matchAt(text, p);
      } while (m.type === undefined);
      errors.push({ offset: start, length: p - start });
      continue;
    }
    const end = m.end;
    if (type !== null) {
      const image = m.image ?? text.slice(p, end);
      const token: IToken = { image, startOffset: p, tokenTypeIdx: type.tokenTypeIdx as number, tokenType: type } as IToken;
      if (type === LineComment || type === BlockComment) comments.push(token);
      else {
        tokens.push(token);
        if (FLAGGED.has(type)) flagged.push(token);
      }
    }
    p = end;
  }
  return { tokens, comments, errors, flagged, maxDepth, stop: p };
}
