/**
 * `format()` and `formatRange()` beyond the golden fixtures: safety on syntax errors, options,
 * comment placement, blank lines, `// maa-policy-format off|on`, range formatting, line endings,
 * and the internal-error path.
 */
import { describe, expect, test } from "vitest";
import { eolFor, format, formatDirective, formatRange, parse, tokenize, type TextEdit } from "@maa-policy/core";
import { astEquals } from "@maa-policy/core/testing";
import { CommentMap, FormatInternalError } from "../../packages/policy-core/src/format/comments.js";
import { PolicyPrinter } from "../../packages/policy-core/src/format/print-policy.js";
import { DocPrinter } from "../../packages/policy-core/src/format/printer.js";

const policy = (...lines: string[]) => lines.join("\n") + "\n";

function apply(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.range.start - a.range.start)) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}

describe("format: safety", () => {
  test("a text with syntax errors comes back unchanged with its diagnostics", () => {
    const text = 'version=1.2;\nauthorizationrules{[type="x"]=>permit();};\n';
    const r = format(text);
    expect(r.text).toBe(text);
    expect(r.changed).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["P1004"]);
  });

  test("an empty text and a comment-only text are syntax errors (no version), left alone", () => {
    for (const text of ["", "// just a comment\n"]) {
      const r = format(text);
      expect(r.text).toBe(text);
      expect(r.diagnostics.map((d) => d.code)).toContain("P1023");
    }
  });

  test("warnings do not stop formatting and are not returned", () => {
    const r = format("version=1.2;authorizationrules{[type==\"svn\",value>=-1]=>permit();[]=>deny();};");
    expect(r.diagnostics).toEqual([]);
    expect(r.text).toBe(policy("version=1.2;", "", "authorizationrules", "{", '    [type=="svn", value>=-1] => permit();', "    [] => deny();", "};"));
  });

  test("a printer that meets tokens other than the tree's throws a FormatInternalError (reported as P9001)", () => {
    const a = "version=1.2;authorizationrules{=>permit();};";
    const b = "version=1.2;authorizationrules{=>deny();};";
    const tokens = tokenize(b).tokens;
    const file = parse(a).file;
    const printer = new PolicyPrinter(b, tokens, new CommentMap(b, tokens, []), "\n");
    expect(() => printer.printFile(file, new DocPrinter({ width: 100, indentUnit: "    ", indentWidth: 4, eol: "\n" }))).toThrow(FormatInternalError);
  });
});

describe("format: nesting", () => {
  const nested = (depth: number) => `version=1.2;authorizationrules{=>permit();};issuancerules{c:[type=="x"]=>issue(type="n",value=${"NegateBool(".repeat(depth)}c.value${")".repeat(depth)});};`;

  test("calls nested as deep as the parser allows (64 parentheses, the action's included) format, one level per call", () => {
    const r = format(nested(63));
    expect(r.diagnostics).toEqual([]);
    expect(r.text).toContain(`\n${" ".repeat(4 * 66)}c.value\n`);
    expect(format(r.text).text).toBe(r.text);
  });

  test("deeper nesting is a syntax error (P1019): the text is left alone", () => {
    const text = nested(64);
    const r = format(text);
    expect(r.text).toBe(text);
    expect(r.diagnostics.map((d) => d.code)).toContain("P1019");
  });
});

describe("format: options", () => {
  const long = 'version=1.2;issuancerules{c:[type=="x-ms-sgx-mrsigner"]=>issue(type="signer",value=AppendString(c.value,"-x"));};';
  test("width decides where rules break", () => {
    expect(format(long).text).toBe(
      policy("version=1.2;", "", "issuancerules", "{", '    c:[type=="x-ms-sgx-mrsigner"] => issue(type="signer", value=AppendString(c.value, "-x"));', "};"),
    );
    expect(format(long, { width: 70 }).text).toBe(
      policy("version=1.2;", "", "issuancerules", "{", '    c:[type=="x-ms-sgx-mrsigner"]', '        => issue(type="signer", value=AppendString(c.value, "-x"));', "};"),
    );
    expect(format(long, { width: 60 }).text).toBe(
      policy(
        "version=1.2;",
        "",
        "issuancerules",
        "{",
        '    c:[type=="x-ms-sgx-mrsigner"]',
        "        => issue(",
        '            type="signer",',
        '            value=AppendString(c.value, "-x")',
        "        );",
        "};",
      ),
    );
    expect(format(long, { width: 40, indent: 2 }).text).toBe(
      policy(
        "version=1.2;",
        "",
        "issuancerules",
        "{",
        '  c:[type=="x-ms-sgx-mrsigner"]',
        "    => issue(",
        '      type="signer",',
        '      value=AppendString(c.value, "-x")',
        "    );",
        "};",
      ),
    );
  });

  test("tabs, and out-of-range options fall back to sane values", () => {
    expect(format(long, { indent: "tab", width: 70 }).text).toContain('\n\tc:[type=="x-ms-sgx-mrsigner"]\n\t\t=> issue(');
    expect(format(long, { width: Number.NaN, indent: Number.NaN }).text).toBe(format(long).text);
  });

  test("endOfLine auto keeps the dominant line ending (LF on a tie)", () => {
    expect(eolFor("a\r\nb\r\nc\n", {})).toBe("\r\n");
    expect(eolFor("a\r\nb\nc\n", {})).toBe("\n");
    expect(eolFor("a\r\nb\n", {})).toBe("\n");
    expect(eolFor("a\r\n", { endOfLine: "lf" })).toBe("\n");
    expect(eolFor("a\n", { endOfLine: "crlf" })).toBe("\r\n");
    const mixed = "version=1.2;\r\nauthorizationrules\r\n{\n=>permit();\r\n};\r\n";
    expect(format(mixed).text).toBe("version=1.2;\r\n\r\nauthorizationrules\r\n{\r\n    => permit();\r\n};\r\n");
  });
});

describe("format: comments and blank lines", () => {
  test("a comment before `,` or `;` on the line after a token moves after the `,` or `;`", () => {
    const text = policy("version=1.2;", "authorizationrules{", '[type=="a" // first', ', value==1] => permit() // why', ";", "};");
    expect(format(text).text).toBe(
      policy("version=1.2;", "", "authorizationrules", "{", "    [", '        type=="a", // first', "        value==1", "    ]", "        => permit(); // why", "};"),
    );
  });

  test("an own-line comment inside a rule stays on its own line before its token", () => {
    const text = policy("version=1.2;", "authorizationrules{", '[type=="a"]', "// the second", '&& [type=="b"] => permit();', "};");
    expect(format(text).text).toBe(
      policy("version=1.2;", "", "authorizationrules", "{", '    [type=="a"]', "        // the second", '        && [type=="b"]', "        => permit();", "};"),
    );
  });

  test("dangling comments of an empty section, and comments at the start and end of the file", () => {
    const text = "// top\nversion=1.2;authorizationrules{\n// nothing yet\n\n\n// really\n};\n\n\n// end\n";
    expect(format(text).text).toBe(policy("// top", "version=1.2;", "", "authorizationrules", "{", "    // nothing yet", "", "    // really", "};", "", "// end"));
  });

  test("blank lines between rules are kept, collapsed to one; none after `{` or before `}`", () => {
    const text = "version=1.2;authorizationrules{\n\n\n=>permit();\n\n\n\n=>deny();\n=>deny();\n\n};";
    expect(format(text).text).toBe(policy("version=1.2;", "", "authorizationrules", "{", "    => permit();", "", "    => deny();", "    => deny();", "};"));
  });

  test("trailing whitespace in a comment is dropped", () => {
    expect(format("version=1.2; // v   \nauthorizationrules{};").text).toBe(policy("version=1.2; // v", "", "authorizationrules", "{", "};"));
  });
});

describe("format: // maa-policy-format off|on", () => {
  test("recognises the directives", () => {
    expect(formatDirective("// maa-policy-format off")).toBe("off");
    expect(formatDirective("//maa-policy-format on: done")).toBe("on");
    expect(formatDirective("// maa-policy-format offside")).toBeUndefined();
    expect(formatDirective("// format off")).toBeUndefined();
  });

  test("keeps whole sections verbatim at top level, up to `on`", () => {
    const text = policy(
      "version=1.2;",
      "// maa-policy-format off",
      "authorizationrules {   [type==\"a\"]=>permit();   };  ",
      "// maa-policy-format on",
      "issuancerules{=>issue(type=\"x\",value=1);};",
    );
    expect(format(text).text).toBe(
      policy(
        "version=1.2;",
        "",
        "// maa-policy-format off",
        "authorizationrules {   [type==\"a\"]=>permit();   };  ",
        "// maa-policy-format on",
        "",
        "issuancerules",
        "{",
        '    => issue(type="x", value=1);',
        "};",
      ),
    );
  });

  test("without `on`, the region runs to the end of the section (or of the file)", () => {
    const text = policy("version=1.2;", "authorizationrules{", "  // maa-policy-format off", "[type==\"a\"]   =>   permit();", "   [type==\"b\"]=>deny();", "};");
    expect(format(text).text).toBe(
      policy("version=1.2;", "", "authorizationrules", "{", "  // maa-policy-format off", "[type==\"a\"]   =>   permit();", "   [type==\"b\"]=>deny();", "};"),
    );
    const top = "version=1.2;\n// maa-policy-format off\nauthorizationrules{=>permit();};\n";
    expect(format(top).text).toBe("version=1.2;\n\n// maa-policy-format off\nauthorizationrules{=>permit();};\n");
  });

  test("a directive inside a rule or at the end of a line is an ordinary comment", () => {
    const text = policy("version=1.2;", "authorizationrules{[type==\"a\"] // maa-policy-format off", "&& [type==\"b\"]=>permit();};");
    expect(format(text).text).toBe(
      policy("version=1.2;", "", "authorizationrules", "{", '    [type=="a"] // maa-policy-format off', '        && [type=="b"]', "        => permit();", "};"),
    );
  });
});

describe("formatRange", () => {
  const text = policy(
    "version=1.2;",
    "authorizationrules",
    "{",
    "    [type==\"a\"] => permit();",
    "    [type  ==  \"b\"]=>permit();   [type==\"c\"]=>deny();",
    "  c:[type==\"d\" // x",
    "  ]=>permit();",
    "};",
  );
  const at = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) });

  test("formats only the rules the range touches", () => {
    const r = formatRange(text, at('"b"'));
    expect(r.diagnostics).toEqual([]);
    expect(r.edits).toEqual([{ range: { start: text.indexOf('    [type  =='), end: text.indexOf("permit();   ") + 9 }, newText: '    [type==\"b\"] => permit();' }]);
  });

  test("a rule that shares its line moves to a line of its own", () => {
    const r = formatRange(text, at('"c"'));
    expect(apply(text, r.edits)).toBe(text.replace('permit();   [type=="c"]=>deny();', 'permit();\n    [type=="c"] => deny();'));
  });

  test("a range over several rules formats each of them; the result keeps the tree", () => {
    const r = formatRange(text, { start: text.indexOf('"b"'), end: text.lastIndexOf("]=>permit();") });
    expect(r.edits.length).toBe(3);
    const out = apply(text, r.edits);
    expect(astEquals(parse(text).file, parse(out).file)).toBe(true);
    expect(out).toContain('    c:[\n        type=="d" // x\n    ]\n        => permit();');
    expect(out).toContain("version=1.2;\nauthorizationrules\n{\n");
  });

  test("the whole text, an already formatted rule, and a text with errors", () => {
    const whole = formatRange(text, { start: 0, end: text.length });
    expect(whole.edits).toEqual([{ range: { start: 0, end: text.length }, newText: format(text).text }]);
    expect(formatRange(text, at('"a"')).edits).toEqual([]);
    const broken = formatRange('version=1.2;authorizationrules{[type="x"]=>permit();};', { start: 0, end: 5 });
    expect(broken.edits).toEqual([]);
    expect(broken.diagnostics.map((d) => d.code)).toEqual(["P1004"]);
  });
});
