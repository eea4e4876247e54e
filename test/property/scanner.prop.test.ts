/**
 * The hand-written scanner against the Chevrotain lexer it replaces (built here from the same
 * `allTokens`, with the options the project used): the same tokens (type, image, offset), the
 * same comments and the same unexpected-character runs, on random text made of the language's
 * pieces and its lexical traps, on every fixture and on the real-world corpus.
 */
import { readFileSync } from "node:fs";
import { Lexer, type IToken } from "chevrotain";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scan } from "../../packages/policy-core/src/syntax/scanner.js";
import { allTokens } from "../../packages/policy-core/src/syntax/tokens.js";
import { fixturePath, policiesUnder } from "../support/fixtures.js";

const reference = new Lexer(allTokens, { positionTracking: "onlyOffset", ensureOptimizations: true, skipValidations: true });

const shape = (t: IToken) => ({ type: t.tokenType.name, idx: t.tokenTypeIdx, image: t.image, start: t.startOffset });

function compare(text: string): void {
  const want = reference.tokenize(text);
  const got = scan(text);
  expect(got.tokens.map(shape)).toEqual(want.tokens.map(shape));
  expect(got.comments.map(shape)).toEqual(((want.groups["comments"] ?? []) as IToken[]).map(shape));
  expect(got.errors).toEqual(want.errors.map((e) => ({ offset: e.offset, length: e.length })));
  for (const t of got.tokens) expect(Object.keys(t)).toEqual(["image", "startOffset", "tokenTypeIdx", "tokenType"]);
  // What the lexical diagnostics read: every token they may be about, and how deep `(` nest.
  const aboutWhich = got.tokens.filter((t) => MAYBE_DIAGNOSED.has(t.tokenType.name) && !(t.tokenType.name === "StringLiteral" && !t.image.includes("\\")));
  expect(got.flagged.filter((t) => !(t.tokenType.name === "StringLiteral" && !t.image.includes("\\"))).map(shape)).toEqual(aboutWhich.map(shape));
  for (const t of got.flagged) expect(got.tokens).toContain(t);
  let depth = 0;
  let max = 0;
  for (const t of got.tokens) {
    if (t.tokenType.name === "LParen") max = Math.max(max, ++depth);
    else if (t.tokenType.name === "RParen" && depth > 0) depth--;
  }
  expect(got.maxDepth).toBe(max);
}

/** The token types `lexicalDiagnostics` reports on (a string only when it has an escape). */
const MAYBE_DIAGNOSED = new Set(["StringLiteral", "CurlyString", "MixedQuoteString", "UnterminatedString", "HexLiteral", "Placeholder", "OrOr"]);

/** Pieces of the language and every lexical trap: prefixes of keywords, broken strings, curly quotes, lone operators. */
const piece = fc.constantFrom(
  "version", "versions", "configurationrules", "authorizationrules", "issuancerules", "Issuancerules", "permit", "permits", "deny", "add", "issue",
  "issuer", "issuers", "issueproperty", "issuepropertyx", "type", "types", "value", "valueType", "valueTypes", "values", "claim", "true", "truex", "false",
  "c", "c1", "x_y", "_x", "JmesPath", "=", "==", "=>", "!", "!=", "<", "<=", ">", ">=", "&", "&&", "|", "||", ":", ",", ";", ".", "(", ")", "[", "]", "{", "}",
  '"', '"abc"', '"a\\"b"', '"a\\\\"', '"a\\', '"a\\\n', '"open', "\\", "“x”", "”x”", "„x“", "‟x″", '“x"', '"x”', '"x\\”', "‘x’", "’x‘", "‘x", '‘x"', "“x", "″",
  "0", "12", "-3", "-", "--4", "1.2", "1.", ".5", "-1.25", "0x1F", "0X", "0xg", "-0xAB", "<product-id>", "<_a>", "<a", "<1>", "<a-b",
  "//", "// note", "/", "/*", "/* x */", "/*/", "*/", "*", " ", "  ", "\t", "\n", "\r\n", "\r", "\f", "\v", "\uFEFF", "é", "😀", "\u200B", "\u00A0", "#", "$", "@", "?", "'",
);
const textArb = fc.oneof(
  fc.array(piece, { maxLength: 40 }).map((ps) => ps.join("")),
  fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), { maxLength: 30 }).map((ps) => ps.join("")),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: "binary", maxLength: 60 }),
);

describe("scanner", () => {
  it("lexes random text exactly as the Chevrotain lexer does", () => {
    fc.assert(fc.property(textArb, (text) => compare(text)), { numRuns: 3000 });
  });

  it("lexes every fixture and real-world policy exactly as the Chevrotain lexer does", () => {
    const files = policiesUnder(fixturePath());
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) compare(readFileSync(f, "utf8"));
  });

  it("is linear on long runs of what cannot be matched", () => {
    for (const unit of ["&", "‘x", "“", "-", "/", '"\\', "\u2018\u201C"]) {
      const text = unit.repeat(4_000);
      compare(text);
    }
  });
});
