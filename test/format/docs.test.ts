/**
 * docs/formatting.md shows the house style: every example block is formatted text (formatting it
 * changes nothing), and each block followed by "becomes" formats to the block after it. The block
 * introduced with `--width 60 --indent 2` is checked with those options.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { format, type FormatOptions } from "@maa-policy/core";
import { ROOT } from "../support/fixtures.js";

const doc = readFileSync(path.join(ROOT, "docs", "formatting.md"), "utf8");

test("the examples of docs/formatting.md are what the formatter produces", () => {
  const examples = [...doc.matchAll(/```maa-policy\n([\s\S]*?)```(\n\nbecomes\n)?/g)];
  expect(examples.length).toBe(9);
  let pairs = 0;
  for (let i = 0; i < examples.length; i++) {
    const m = examples[i] as RegExpMatchArray;
    const text = m[1] as string;
    const intro = doc.slice(0, m.index).trimEnd();
    const options: FormatOptions = intro.endsWith("indents by two spaces:") ? { width: 60, indent: 2 } : {};
    const r = format(text, options);
    expect(r.diagnostics).toEqual([]);
    if (m[2] !== undefined) {
      expect(r.text).toBe((examples[i + 1] as RegExpMatchArray)[1]);
      pairs++;
    } else {
      // An output block (or a standalone example) is already formatted.
      expect(r.text).toBe(text);
    }
  }
  expect(pairs).toBe(3);
});
