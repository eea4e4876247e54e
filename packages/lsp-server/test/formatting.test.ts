import fc from "fast-check";
import { format } from "@maa-policy/core";
import { describe, expect, it } from "vitest";
import { analyze } from "../src/analysis.js";
import { formatDocument, formatDocumentRange, minimalEdit } from "../src/features/formatting.js";
import { DEFAULT_SETTINGS, mergeSettings } from "../src/settings.js";

const MESSY = 'version = 1.2;\nauthorizationrules {\n  c:[type=="x-ms-sgx-svn",value>=2]=>permit();\n    [type=="x-ms-sgx-is-debuggable", value==true] => deny();\n};\n';

function apply(text: string, a: ReturnType<typeof analyze>, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  let out = text;
  for (const e of [...edits].reverse()) {
    const s = a.lineIndex.offset(e.range.start);
    const t = a.lineIndex.offset(e.range.end);
    out = out.slice(0, s) + e.newText + out.slice(t);
  }
  return out;
}

describe("formatting", () => {
  // The expected texts are written out (issue 17, item 9): a test that compared with
  // `format()` itself could not catch a formatter bug that the editor would show.
  const RULES = ['c:[type=="x-ms-sgx-svn", value>=2] => permit();', '[type=="x-ms-sgx-is-debuggable", value==true] => deny();'];
  const formatted = (indent: string) => `version=1.2;\n\nauthorizationrules\n{\n${RULES.map((r) => indent + r + "\n").join("")}};\n`;

  it("formats the document like the formatter, with the editor's indentation", () => {
    const a = analyze("file:///f.maa", 1, MESSY, DEFAULT_SETTINGS);
    const out = apply(MESSY, a, formatDocument(a, { tabSize: 2, insertSpaces: true }));
    expect(out).toBe(formatted("  "));
    expect(out).toBe(format(MESSY, { indent: 2 }).text);
    const tabs = apply(MESSY, a, formatDocument(a, { tabSize: 4, insertSpaces: false }));
    expect(tabs).toBe(formatted("\t"));
  });

  it("prefers the configured indentation and width", () => {
    const s = mergeSettings(DEFAULT_SETTINGS, { format: { indent: 3, width: 40 } });
    const a = analyze("file:///f.maa", 1, MESSY, s);
    expect(apply(MESSY, a, formatDocument(a, { tabSize: 8, insertSpaces: true }))).toBe(
      [
        "version=1.2;",
        "",
        "authorizationrules",
        "{",
        '   c:[type=="x-ms-sgx-svn", value>=2]',
        "      => permit();",
        "   [",
        '      type=="x-ms-sgx-is-debuggable",',
        "      value==true",
        "   ]",
        "      => deny();",
        "};",
        "",
      ].join("\n"),
    );
  });

  it("leaves formatted and broken documents alone", () => {
    expect(formatDocument(analyze("file:///f.maa", 1, formatted("    "), DEFAULT_SETTINGS), undefined)).toEqual([]);
    const broken = "version=1.2;\nauthorizationrules {  => permit( ;\n";
    expect(formatDocument(analyze("file:///f.maa", 1, broken, DEFAULT_SETTINGS), undefined)).toEqual([]);
  });

  it("formats only the rules a range touches", () => {
    const a = analyze("file:///f.maa", 1, MESSY, DEFAULT_SETTINGS);
    const line = MESSY.indexOf("c:[");
    const edits = formatDocumentRange(a, { start: line, end: line + 5 }, { tabSize: 4, insertSpaces: true });
    const out = apply(MESSY, a, edits);
    expect(out).toContain('    c:[type=="x-ms-sgx-svn", value>=2] => permit();');
    // Outside the range, the text is untouched.
    expect(out).toContain("version = 1.2;\nauthorizationrules {\n");
    expect(out).toBe(`version = 1.2;\nauthorizationrules {\n    ${RULES[0]}\n    [type=="x-ms-sgx-is-debuggable", value==true] => deny();\n};\n`);
  });

  it("computes a minimal edit that turns one text into the other", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "b", "\r", "\n", "😀", " ") }), fc.string({ unit: fc.constantFrom("a", "b", "\r", "\n", "😀", " ") }), (x, y) => {
        const e = minimalEdit(x, y);
        expect(x.slice(0, e.range.start) + e.newText + x.slice(e.range.end)).toBe(y);
      }),
      { numRuns: 300 },
    );
  });
});
