/**
 * The Doc printer: groups fit or break, indentation, forced breaks, line suffixes, line
 * comments, fresh lines, verbatim text, trailing whitespace, deep documents.
 */
import { describe, expect, test } from "vitest";
import {
  breakParent,
  concat,
  freshLine,
  group,
  hardline,
  indent,
  join,
  line,
  lineComment,
  lineSuffix,
  softline,
  verbatim,
  type Doc,
} from "../../packages/policy-core/src/format/doc.js";
import { printDoc } from "../../packages/policy-core/src/format/printer.js";

const print = (doc: Doc, width = 20, indentUnit = "  ") => printDoc(doc, { width, indentUnit, indentWidth: indentUnit === "\t" ? 4 : indentUnit.length, eol: "\n" });
const call = (name: string, args: Doc[]) => group(concat([name, "(", indent(concat([softline, join(concat([",", line]), args)])), softline, ")"]));

describe("printDoc", () => {
  test("a group that fits stays flat", () => {
    expect(print(call("f", ["a", "b"]))).toBe("f(a, b)");
  });

  test("a group that does not fit breaks every line, and its inner groups decide for themselves", () => {
    expect(print(call("f", [call("g", ["1", "2"]), "a-long-argument"]))).toBe("f(\n  g(1, 2),\n  a-long-argument\n)");
  });

  test("the text after a group, up to the next possible break, counts for its fit", () => {
    const doc = concat([call("f", ["aaaa", "bbbb"]), "-suffix-that-is-long"]);
    expect(print(doc)).toBe("f(\n  aaaa,\n  bbbb\n)-suffix-that-is-long");
    expect(print(concat([call("f", ["a"]), hardline, "-suffix-that-is-long"]))).toBe("f(a)\n-suffix-that-is-long");
  });

  test("a hard line or breakParent breaks every enclosing group", () => {
    expect(print(group(concat(["a", line, "b", breakParent])))).toBe("a\nb");
    expect(print(group(concat(["a", line, group(concat(["b", hardline, "c"]))])))).toBe("a\nb\nc");
    expect(print(group(concat(["a", line, "b"]), { shouldBreak: true }))).toBe("a\nb");
  });

  test("indentation: spaces or tabs, and a tab counts as the indent width", () => {
    expect(print(concat(["{", indent(concat([hardline, "x"])), hardline, "}"]), 20, "\t")).toBe("{\n\tx\n}");
    expect(print(concat(["{", indent(concat([hardline, call("f", ["aaaaaaa", "bbbbbbb"])])), hardline, "}"]), 22, "\t")).toBe(
      "{\n\tf(\n\t\taaaaaaa,\n\t\tbbbbbbb\n\t)\n}",
    );
  });

  test("never prints trailing whitespace, and no space starts a line", () => {
    expect(print(concat(["a ", hardline, hardline, indent(concat([hardline, "b"]))]))).toBe("a\n\n\n  b");
    expect(print(concat(["a", lineComment("// c"), " ", "b"]))).toBe("a // c\nb");
  });

  test("line suffixes go to the end of the line; several pending ones take lines of their own", () => {
    expect(print(concat(["a", lineSuffix("// one", " "), "b", hardline, "c"]))).toBe("ab // one\nc");
    expect(print(concat(["a", lineSuffix("// one", " "), lineSuffix("// two", " "), "b"]))).toBe("ab // one\n// two");
  });

  test("a line comment ends its line; a fresh line breaks only after content", () => {
    expect(print(concat(["x", lineComment("// c"), "y"]))).toBe("x // c\ny");
    expect(print(concat([freshLine, lineComment("// first"), "y"]))).toBe("// first\ny");
    expect(print(concat(["x", freshLine, lineComment("// own"), freshLine, lineComment("// next"), "y"]))).toBe("x\n// own\n// next\ny");
  });

  test("verbatim text starts its line without the indentation and keeps its trailing spaces", () => {
    expect(print(concat(["{", indent(concat([hardline, verbatim("  keep   this  \n   as is"), hardline, "next"])), hardline, "}"]))).toBe(
      "{\n  keep   this  \n   as is\n  next\n}",
    );
  });

  test("deep documents print without recursion limits", () => {
    let doc: Doc = "x";
    for (let i = 0; i < 1000; i++) doc = call("f", [doc]);
    const out = print(doc, 100);
    expect(out.startsWith("f(\n  f(\n")).toBe(true);
    expect(out.split("\n").length).toBe(2001);
  });
});

describe("comment placement helpers", () => {
  test("a blank line is two line breaks, whatever their style", async () => {
    const { hasBlankLine } = await import("../../packages/policy-core/src/format/comments.js");
    expect(hasBlankLine(" \n ")).toBe(false);
    expect(hasBlankLine("\r\n")).toBe(false);
    expect(hasBlankLine("\n  \n")).toBe(true);
    expect(hasBlankLine("\r\n\r\n")).toBe(true);
    expect(hasBlankLine("\r\r")).toBe(true);
    expect(hasBlankLine("\r\n\t\n")).toBe(true);
  });
});
