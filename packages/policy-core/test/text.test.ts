/**
 * Unit tests of the text utilities: LineIndex over LF, CRLF and CR; ranges; suggestions.
 */
import { describe, expect, it } from "vitest";
import { LineIndex, editDistance, suggest } from "../src/index.js";
import { coverRanges, rangeContains, rangeTouches } from "../src/text/text-range.js";

describe("LineIndex", () => {
  it("maps offsets over LF, CRLF and lone CR line endings", () => {
    const text = "ab\ncd\r\nef\rgh";
    const idx = new LineIndex(text);
    expect(idx.lineCount).toBe(4);
    expect(idx.position(0)).toEqual({ line: 0, character: 0 });
    expect(idx.position(2)).toEqual({ line: 0, character: 2 });
    expect(idx.position(3)).toEqual({ line: 1, character: 0 });
    expect(idx.position(5)).toEqual({ line: 1, character: 2 });
    expect(idx.position(7)).toEqual({ line: 2, character: 0 });
    expect(idx.position(10)).toEqual({ line: 3, character: 0 });
    expect(idx.position(12)).toEqual({ line: 3, character: 2 });
    expect(idx.lineText(text, 1)).toBe("cd");
    expect(idx.lineText(text, 2)).toBe("ef");
  });

  it("round-trips every offset", () => {
    const text = "version=1.0;\r\n\r\nauthorizationrules\n{\r=> permit();\n};\n";
    const idx = new LineIndex(text);
    for (let o = 0; o <= text.length; o++) {
      const p = idx.position(o);
      // Offsets inside a CRLF pair map to the end of the line's content.
      if (text[o - 1] === "\r" && text[o] === "\n") continue;
      expect(idx.offset(p)).toBe(o);
    }
  });

  it("clamps out-of-range positions as LSP asks", () => {
    const idx = new LineIndex("ab\ncd");
    expect(idx.offset({ line: 0, character: 99 })).toBe(2);
    expect(idx.offset({ line: 99, character: 0 })).toBe(5);
    expect(idx.offset({ line: -1, character: 0 })).toBe(0);
    expect(idx.position(-5)).toEqual({ line: 0, character: 0 });
    expect(idx.position(500)).toEqual({ line: 1, character: 2 });
  });

  it("counts UTF-16 code units", () => {
    const idx = new LineIndex("é😀x\ny");
    expect(idx.position(4)).toEqual({ line: 0, character: 4 });
    expect(idx.position(5)).toEqual({ line: 1, character: 0 });
  });
});

describe("ranges", () => {
  it("covers, contains and touches", () => {
    expect(coverRanges({ start: 3, end: 5 }, { start: 1, end: 4 })).toEqual({ start: 1, end: 5 });
    expect(rangeContains({ start: 1, end: 5 }, { start: 2, end: 5 })).toBe(true);
    expect(rangeContains({ start: 1, end: 5 }, { start: 0, end: 5 })).toBe(false);
    expect(rangeTouches({ start: 1, end: 5 }, 5)).toBe(true);
    expect(rangeTouches({ start: 1, end: 5 }, 6)).toBe(false);
  });
});

describe("suggest", () => {
  it("finds misspellings and wrong case", () => {
    expect(suggest("authizationrules", ["configurationrules", "authorizationrules", "issuancerules"])).toBe("authorizationrules");
    expect(suggest("Issuancerules", ["configurationrules", "authorizationrules", "issuancerules"])).toBe("issuancerules");
    expect(suggest("premit", ["permit", "deny", "add", "issue", "issueproperty"])).toBe("permit");
    expect(suggest("NegateBol", ["NegateBool", "JmesPath"])).toBe("NegateBool");
    expect(suggest("zzzzzz", ["permit", "deny"])).toBeUndefined();
  });

  it("counts transpositions as one edit", () => {
    expect(editDistance("vaule", "value")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
});
