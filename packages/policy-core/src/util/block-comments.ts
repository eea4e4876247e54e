/**
 * Where the lexer sees `/* … *\/` comments, found without lexing everything: block comments
 * are the only tokens that span lines, so a tool that lexes a window of a large file (the
 * language server's completion) needs them to know whether the window starts inside one. The
 * scan uses the lexer's own token patterns for comments and strings (a `/*` inside a string or
 * after `//` opens nothing), jumping from one candidate character to the next.
 */
import type { TokenType } from "chevrotain";
import { BlockComment, CurlyString, LineComment, MixedQuoteString, StringLiteral, UnterminatedString } from "../syntax/tokens.js";
import type { TextRange } from "../text/text-range.js";

const sticky = (t: TokenType): RegExp => new RegExp((t.PATTERN as RegExp).source, "y");
const LINE = sticky(LineComment);
const BLOCK = sticky(BlockComment);
// In the lexer's order: the first pattern that matches wins.
const QUOTED = [sticky(StringLiteral), sticky(MixedQuoteString), sticky(UnterminatedString)];
const CURLY = sticky(CurlyString);
const CANDIDATE = /\/[/*]|["\u201C\u201D\u201E\u201F\u2033\u2018\u2019]/g;

function matchAt(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  const m = re.exec(text);
  return m ? m[0].length : 0;
}

/** The block comments of `text` that start before `end`, in order (the last may run past `end`). */
export function blockCommentsBefore(text: string, end: number): TextRange[] {
  const out: TextRange[] = [];
  // Most texts have none: say so without the scan. (A forward search is several times faster than
  // `lastIndexOf`, which the language server's completion paid on every request.)
  const first = text.indexOf("/*");
  if (first < 0 || first > end) return out;
  const re = new RegExp(CANDIDATE.source, "g");
  let at = 0;
  while (at < end) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m || m.index >= end) break;
    const i = m.index;
    const c = text.charAt(i);
    let len = 0;
    if (c === "/") {
      if (text.charAt(i + 1) === "/") len = matchAt(LINE, text, i);
      else {
        len = matchAt(BLOCK, text, i);
        out.push({ start: i, end: i + len });
      }
    } else if (c === '"') {
      for (const q of QUOTED) if ((len = matchAt(q, text, i)) > 0) break;
    } else len = matchAt(CURLY, text, i);
    at = i + Math.max(1, len);
  }
  return out;
}
