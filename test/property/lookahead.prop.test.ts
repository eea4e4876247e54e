/**
 * The parser's dispatched lookahead (`syntax/lookahead.ts`) against Chevrotain's own LL(k)
 * strategy: two parsers of the same grammar, one with each, must take every decision alike, so
 * the same parse tree (lowered), the same recognition errors and the same diagnostics, on random
 * token sequences (mostly broken, so that recovery and the gated alternatives are exercised), on
 * generated policies, on every fixture and on the real-world corpus.
 */
import { readFileSync } from "node:fs";
import { LLkLookaheadStrategy, type IRecognitionException } from "chevrotain";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Lowering } from "../../packages/policy-core/src/syntax/lower.js";
import { MAX_LOOKAHEAD, PolicyParser, type PolicyNode, type RuleListNode } from "../../packages/policy-core/src/syntax/parser.js";
import { scan } from "../../packages/policy-core/src/syntax/scanner.js";
import { fixturePath, policiesUnder } from "../support/fixtures.js";
import { randomPolicy } from "./support/policy-gen.js";

const chevrotain = new PolicyParser(new LLkLookaheadStrategy({ maxLookahead: MAX_LOOKAHEAD }));
const dispatched = new PolicyParser();

const errorShape = (e: IRecognitionException) => ({ name: e.name, message: e.message, at: e.token.startOffset, type: e.token.tokenType.name });

/** What one parser makes of `text`, as the full parse and as the language server's rule-list parse. */
function outcome(parser: PolicyParser, text: string): unknown {
  const scanned = scan(text);
  const file = new Lowering({ text, tokens: scanned.tokens, comments: scanned.comments });
  parser.input = scanned.tokens;
  parser.lowering = file;
  const cst = parser.policy() as PolicyNode;
  const fileErrors = parser.errors.map(errorShape);
  const lowered = file.file(cst, parser.errors);
  const list = new Lowering({ text, tokens: scanned.tokens, comments: scanned.comments });
  parser.input = scanned.tokens;
  parser.lowering = list;
  const rules = parser.ruleList() as RuleListNode;
  const listErrors = parser.errors.map(errorShape);
  parser.lowering = undefined;
  return { fileErrors, lowered, listErrors, rules: rules.rules };
}

function compare(text: string): void {
  expect(outcome(dispatched, text)).toEqual(outcome(chevrotain, text));
}

/** Tokens of every kind, with the spellings the lenient grammar accepts and the ones it does not. */
const piece = fc.constantFrom(
  "version", "versio", "=", "1.2", "1", "-3", "0x1F", ";", "configurationrules", "authorizationrules", "issuancerules", "issuancerule", "{", "}",
  "[", "]", "(", ")", "!", "c", "c1", ":", ",", ".", "&&", "||", "=>", "==", "!=", "<", "<=", ">", ">=", "type", "value", "issuer", "claim",
  "valueType", "typ", "permit", "deny", "add", "issue", "issueproperty", "permitt", "\"x\"", "\"open", "“x”", "true", "false", "JmesPath", "<p>", "@",
);
const tokensArb = fc.array(piece, { maxLength: 40 }).map((ps) => ps.join(" "));

/** A valid policy with a few pieces inserted or removed. */
const mutatedArb = fc
  .tuple(fc.gen(), fc.array(fc.tuple(fc.nat(), fc.nat(3), piece), { maxLength: 4 }))
  .map(([g, edits]) => {
    let text = randomPolicy(g);
    for (const [at, remove, insert] of edits) {
      const i = at % (text.length + 1);
      text = text.slice(0, i) + ` ${insert} ` + text.slice(i + remove);
    }
    return text;
  });

describe("dispatched lookahead", () => {
  it("decides as Chevrotain's LL(k) strategy on random token sequences", () => {
    fc.assert(fc.property(tokensArb, (text) => compare(text)), { numRuns: 1500 });
  });

  it("decides as Chevrotain's LL(k) strategy on mutated generated policies", () => {
    fc.assert(fc.property(mutatedArb, (text) => compare(text)), { numRuns: 500 });
  });

  it("decides as Chevrotain's LL(k) strategy on every fixture and real-world policy", () => {
    const files = policiesUnder(fixturePath());
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) compare(readFileSync(f, "utf8"));
  });
});
