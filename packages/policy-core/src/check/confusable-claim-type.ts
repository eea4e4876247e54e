/**
 * P2035 confusable-claim-type: a claim type that mixes scripts (Latin with Cyrillic or Greek
 * letters) or contains a look-alike of an ASCII character (a Cyrillic `а`, a non-breaking
 * hyphen, a fullwidth letter). It displays like the intended type but never matches it. When
 * every suspicious character has an ASCII look-alike the fix rewrites the type in ASCII.
 * Claim types written entirely in one non-Latin script, or with accented Latin letters, are fine.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { claimTypeLiterals } from "./claim-type-whitespace.js";
import type { Check } from "./context.js";

/** Characters that look like ASCII ones, with the ASCII character they imitate. */
const LOOKALIKES: Readonly<Record<string, string>> = {
  "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l",
  "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
  "α": "a", "ο": "o", "ν": "v", "ρ": "p", "τ": "t", "ι": "i", "κ": "k",
  "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
  "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\uFE63": "-", "\uFF0D": "-",
  "\u2024": ".", "\uFF0E": ".", "\u02D7": "-", "\u00A0": " ",
};

function lookalike(ch: string): string | undefined {
  const direct = LOOKALIKES[ch];
  if (direct !== undefined) return direct;
  const cp = ch.codePointAt(0) ?? 0;
  // Fullwidth ASCII (U+FF01 … U+FF5E).
  if (cp >= 0xff01 && cp <= 0xff5e) return String.fromCodePoint(cp - 0xfee0);
  return undefined;
}

function scriptOf(ch: string): string | undefined {
  if (/\p{Script=Latin}/u.test(ch)) return "Latin";
  if (/\p{Script=Cyrillic}/u.test(ch)) return "Cyrillic";
  if (/\p{Script=Greek}/u.test(ch)) return "Greek";
  if (/\p{L}/u.test(ch)) return "other";
  return undefined;
}

/** Check P2035 `confusable-claim-type` (see the file comment). */
export const confusableClaimType: Check = {
  code: "P2035",
  scope: "rule",
  run(ctx) {
    for (const lit of claimTypeLiterals(ctx)) {
      const v = lit.value;
      if (/^[\x20-\x7E]*$/.test(v)) continue;
      const chars = [...v];
      const scripts = new Set(chars.map(scriptOf).filter((x): x is string => x !== undefined && x !== "other"));
      const suspicious = chars.filter((ch) => lookalike(ch) !== undefined && !/^[\x20-\x7E]$/.test(ch));
      const mixed = scripts.size > 1;
      const hasLatin = scripts.has("Latin") || /[A-Za-z]/.test(v);
      if (!mixed && !(suspicious.length > 0 && (hasLatin || /[-_.]/.test(v)))) continue;
      const ascii = chars.map((ch) => (/^[\x20-\x7E]$/.test(ch) ? ch : lookalike(ch))).join("");
      const fixable = chars.every((ch) => /^[\x20-\x7E]$/.test(ch) || lookalike(ch) !== undefined);
      const shown = suspicious.length > 0 ? suspicious.map((ch) => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`).join(", ") : [...scripts].join(" and ");
      ctx.report(
        diagnostic(
          "P2035",
          lit.range,
          mixed
            ? `claim type \`${v}\` mixes ${[...scripts].join(" and ")} letters (${shown}): it looks like another type but never matches it`
            : `claim type \`${v}\` contains look-alike characters (${shown}): it looks like \`${ascii}\` but never matches it`,
          { fix: fixable ? fixOf(`write \`${ascii}\``, lit.range, JSON.stringify(ascii)) : undefined },
        ),
      );
    }
  },
};
