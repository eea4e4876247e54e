/**
 * The lexer: text to tokens, comments on the side, and lexical diagnostics. Never throws.
 *
 * Tokens that exist only to report a mistake (typographic quotes, unterminated strings, hex
 * literals, block comments, placeholders, `||`) get their diagnostic here, once, with a fix;
 * the parser then treats them as the token they stand for, so that one mistake gives one
 * diagnostic.
 */
import type { IToken } from "chevrotain";
import { diagnostic, fixOf, type Diagnostic } from "../diagnostics/diagnostic.js";
import { range } from "../text/text-range.js";
import {
  BlockComment,
  CurlyString,
  HexLiteral,
  MixedQuoteString,
  OrOr,
  Placeholder,
  StringLiteral,
  UnterminatedString,
} from "./tokens.js";
import { scan, type ScanResult } from "./scanner.js";

/** The result of `tokenize`. */
export interface LexResult {
  /** Significant tokens (comments and whitespace excluded). */
  readonly tokens: IToken[];
  /** Line comments and (erroneous) block comments, in order. */
  readonly comments: IToken[];
  readonly diagnostics: Diagnostic[];
}

const CURLY = /[\u201C\u201D\u201E\u201F\u2033\u2018\u2019]/g;

/** Splits `text` into tokens. Never throws; unknown characters become P1018 diagnostics. */
export function tokenize(text: string): LexResult {
  const result = scan(text);
  return { tokens: result.tokens, comments: result.comments, diagnostics: lexicalDiagnostics(text, result) };
}

/** The diagnostics of a scan (of the whole text, or of a range of it): P1018 and the mistakes lexed as tokens. */
export function lexicalDiagnostics(text: string, result: ScanResult): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const e of result.errors) {
    const start = e.offset;
    const end = Math.min(text.length, start + Math.max(1, e.length));
    const bad = text.slice(start, end);
    const first = bad.codePointAt(0) ?? 0;
    const shown = describeChar(first, bad);
    diagnostics.push(
      diagnostic("P1018", range(start, end), `unexpected character ${shown}`, {
        fix: fixOf(`remove ${shown}`, range(start, end), ""),
      }),
    );
  }
  const comments = result.comments;
  for (const c of comments) {
    if (c.tokenType === BlockComment) {
      const r = range(c.startOffset, c.startOffset + c.image.length);
      const closed = c.image.endsWith("*/") && c.image.length >= 4;
      const body = closed ? c.image.slice(2, -2) : c.image.slice(2);
      const asLine = body
        .split(/\r\n|\r|\n/)
        .map((l) => `//${l.trimEnd() === "" ? "" : " " + l.trim()}`)
        .join("\n");
      diagnostics.push(
        diagnostic(
          "P1013",
          r,
          closed ? "`/* */` comments are not supported: use `//` comments" : "unterminated `/*` comment: `/* */` comments are not supported, use `//`",
          { fix: fixOf("rewrite as `//` comments", r, asLine) },
        ),
      );
    }
  }
  for (const t of result.flagged) {
    const type = t.tokenType;
    if (type === StringLiteral) {
      checkEscapes(t, diagnostics);
    } else if (type === CurlyString || type === MixedQuoteString) {
      const r = range(t.startOffset, t.startOffset + t.image.length);
      const inner = t.image.slice(1, -1);
      diagnostics.push(
        diagnostic("P1003", r, "typographic quotes do not delimit strings: use straight quotes `\"`", {
          fix: fixOf("replace with straight quotes", r, `"${inner.replace(CURLY, "")}"`),
        }),
      );
    } else if (type === UnterminatedString) {
      const r = range(t.startOffset, t.startOffset + t.image.length);
      // The closing quote most likely belongs before the `]`, `)` or `,` that ends the operand.
      const m = /[\]),](?=[^"]*$)/.exec(t.image);
      const at = m ? t.startOffset + m.index : r.end;
      diagnostics.push(
        diagnostic("P1011", r, "unterminated string: add the closing `\"`", {
          fix: fixOf("add the closing quote", range(at, at), '"'),
        }),
      );
    } else if (type === HexLiteral) {
      const r = range(t.startOffset, t.startOffset + t.image.length);
      const negative = t.image.startsWith("-");
      let decimal: string | undefined;
      try {
        const v = BigInt(negative ? t.image.slice(1) : t.image);
        decimal = (negative ? "-" : "") + v.toString(10);
      } catch {
        decimal = undefined;
      }
      diagnostics.push(
        diagnostic("P1012", r, `hexadecimal literals are not supported: write \`${t.image}\` in decimal${decimal ? ` (\`${decimal}\`)` : ""}`, {
          fix: decimal ? fixOf(`rewrite as \`${decimal}\``, r, decimal) : undefined,
        }),
      );
    } else if (type === Placeholder) {
      const r = range(t.startOffset, t.startOffset + t.image.length);
      diagnostics.push(diagnostic("P1024", r, `template placeholder \`${t.image}\`: replace it with a real value`));
    } else if (type === OrOr) {
      const r = range(t.startOffset, t.startOffset + t.image.length);
      diagnostics.push(diagnostic("P1025", r, "`||` is not supported: write one rule per alternative (rules are joined by OR)"));
    }
  }
  return diagnostics;
}

function describeChar(cp: number, s: string): string {
  const hex = "U+" + cp.toString(16).toUpperCase().padStart(4, "0");
  if (cp < 0x20 || cp === 0x7f || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0xfffd) return hex;
  const ch = String.fromCodePoint(cp);
  if (/[\p{Cf}\p{Zs}]/u.test(ch)) return hex;
  return `\`${s.length > 20 ? s.slice(0, 20) + "…" : s}\``;
}

function checkEscapes(t: IToken, diagnostics: Diagnostic[]): void {
  const img = t.image;
  let i = img.indexOf("\\");
  while (i !== -1 && i < img.length - 1) {
    const next = img.charAt(i + 1);
    if (next !== '"' && next !== "\\") {
      const r = range(t.startOffset + i, t.startOffset + i + 2);
      diagnostics.push(
        diagnostic("P1014", r, `invalid escape \`\\${next}\`: only \`\\"\` and \`\\\\\` are allowed`, {
          fix: fixOf("escape the backslash", range(r.start, r.start + 1), "\\\\"),
        }),
      );
    }
    i = img.indexOf("\\", i + 2);
  }
}

/** The value of a string token: quotes removed (a missing closing quote is not removed), escapes resolved. */
export function stringValue(image: string, terminated: boolean): string {
  const body = terminated ? image.slice(1, -1) : image.slice(1);
  if (body.indexOf("\\") === -1) return body;
  return body.replace(/\\([\s\S])/g, "$1");
}
