/**
 * `DocPrinter` prints a document piece by piece (the formatter gives it one statement at a time):
 * printing random pieces one after the other, each but the last followed by a line break in break
 * mode, gives exactly the text `printDoc` gives for their concatenation, at any width and
 * indentation, whatever the pieces hold (groups that fit or not, forced breaks, line suffixes,
 * line comments, fresh lines, verbatim text, blank text).
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  breakParent,
  concat,
  freshLine,
  group,
  hardline,
  indent,
  line,
  lineComment,
  lineSuffix,
  softline,
  verbatim,
  type Doc,
} from "../../packages/policy-core/src/format/doc.js";
import { DocPrinter, printDoc, type PrintDocOptions } from "../../packages/policy-core/src/format/printer.js";

const { doc: docArb } = fc.letrec<{ doc: Doc }>((tie) => ({
  doc: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom<Doc>("a", "bb", "ccc", "dddddddd", " ", "  ", "", "x,", "(", ")", '"s s"'),
    fc.constantFrom<Doc>(line, softline, hardline, breakParent, freshLine),
    fc.constantFrom<Doc>(lineComment("// c"), lineComment("// a longer comment"), verbatim("kept  as\nis"), verbatim("v")),
    fc.array(tie("doc"), { maxLength: 6 }).map((parts) => concat(parts)),
    tie("doc").map((d) => group(d)),
    tie("doc").map((d) => group(d, { shouldBreak: true })),
    tie("doc").map((d) => indent(d)),
    fc.tuple(tie("doc"), fc.constantFrom("", " ")).map(([d, lead]) => lineSuffix(d, lead)),
  ),
}));

const optionsArb: fc.Arbitrary<PrintDocOptions> = fc.record({
  width: fc.integer({ min: 1, max: 40 }),
  indentUnit: fc.constantFrom("  ", "    ", "\t"),
  indentWidth: fc.constant(4),
  eol: fc.constantFrom("\n", "\r\n"),
});

describe("DocPrinter", () => {
  test("printing pieces separated by line breaks is printing their concatenation", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(docArb, fc.nat({ max: 3 })), { minLength: 1, maxLength: 6 }), optionsArb, (pieces, options) => {
        // Each piece at its level, as the formatter prints a section body (level 1) between top-level parts.
        const whole: Doc[] = [];
        const streamed = new DocPrinter(options);
        pieces.forEach(([d, level], i) => {
          let nested: Doc = d;
          for (let k = 0; k < level; k++) nested = indent(nested);
          if (i > 0) {
            whole.push(indent(hardline));
            streamed.print(hardline, 1);
          }
          whole.push(nested);
          streamed.print(d, level);
        });
        expect(streamed.finish()).toBe(printDoc(concat(whole), options));
      }),
      { numRuns: 1000 },
    );
  });
});
