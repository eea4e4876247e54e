/**
 * Character classes shared by the text-hygiene checks: bidirectional controls, invisible
 * characters, and the look-alikes of ASCII characters that appear in claim types.
 */
import type { CheckContext } from "./context.js";

/** Bidirectional embedding, override and isolate controls, and the directional marks. */
export const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Invisible characters other than the bidirectional ones (a BOM at offset 0 is fine). */
export const INVISIBLE = /[\u00AD\u034F\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200D\u2060-\u2064\u3164\uFEFF\uFFA0]/g;

/** Unicode names of the characters the hygiene checks report. */
export function charName(ch: string): string {
  const names: Record<string, string> = {
    "\u061C": "ARABIC LETTER MARK",
    "\u200E": "LEFT-TO-RIGHT MARK",
    "\u200F": "RIGHT-TO-LEFT MARK",
    "\u202A": "LEFT-TO-RIGHT EMBEDDING",
    "\u202B": "RIGHT-TO-LEFT EMBEDDING",
    "\u202C": "POP DIRECTIONAL FORMATTING",
    "\u202D": "LEFT-TO-RIGHT OVERRIDE",
    "\u202E": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
    "\u00AD": "SOFT HYPHEN",
    "\u200B": "ZERO WIDTH SPACE",
    "\u200C": "ZERO WIDTH NON-JOINER",
    "\u200D": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER",
    "\uFEFF": "ZERO WIDTH NO-BREAK SPACE",
  };
  const cp = (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
  return `U+${cp}${names[ch] ? ` ${names[ch]}` : ""}`;
}

/** Whether the parser already reported the character at `offset` (as an unexpected character). */
export function reportedBySyntax(ctx: CheckContext, offset: number): boolean {
  return ctx.syntaxDiagnostics.some((d) => d.code === "P1018" && d.range.start <= offset && offset < d.range.end);
}
