/**
 * Incremental re-parsing, for the language server: after an edit, only the rules the edit touches
 * are re-lexed and re-parsed; the rest of the tree is reused (shifted by the edit's length
 * change). The result equals `parse(text)` (a property test compares them over random edit
 * sequences); whenever that cannot be guaranteed cheaply, it is a full `parse`.
 *
 * Why re-parsing a run of rules alone is exact: rules end at `;`, so inside a section body the
 * end of a rule (or the `{`) is a point where the lexer restarts; the re-scanned run must end
 * exactly where the next unchanged rule (or the `}`) starts, every token being matched against
 * the whole text. The grammar decides a rule from its own tokens, and the lowering of a rule
 * depends on its tokens only, as long as nothing was recovered: so the previous parse and the
 * re-parsed run must both be clean (no recognition error, no skipped token, no unexpected
 * character, no nesting cut, under the diagnostics cap).
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { sortDiagnostics } from "../diagnostics/diagnostic.js";
import type { Comment, PolicyFile, Rule, Section, ErrorNode } from "./ast.js";
import { lexicalDiagnostics } from "./lexer.js";
import { Lowering } from "./lower.js";
import { MAX_NESTING, MAX_SYNTAX_DIAGNOSTICS, dedupe, parseWithTokens, type ParseResult } from "./parse.js";
import { parseRuleTokens } from "./parser.js";
import { scan } from "./scanner.js";
import { shiftComment, shiftRange, shiftRule, shiftVersion } from "./shift.js";
import { BlockComment, LParen, RParen } from "./tokens.js";

/** The block length of the prefix and suffix comparison. */
const BLOCK = 4096;

/** The first index in `[from, n)` that satisfies `pred` (which must be monotone), or `n`. */
function firstIndex(n: number, pred: (i: number) => boolean, from = 0): number {
  let lo = from;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// CAUTION: public API
/** A parse that a later version of the text can be re-parsed from. */
export interface IncrementalParse {
  readonly text: string;
  /** Equal to `parse(text)`. */
  readonly result: ParseResult;
  /** Whether the parse recovered from nothing (only then can rules be re-parsed alone). */
  readonly clean: boolean;
  /**
   * How this parse was made: from scratch, or from the parse of `previousText` by re-parsing
   * `[start, end)` of the text only (the rest moved by `text.length - previousText.length`).
   */
  readonly reparsed: { readonly start: number; readonly end: number; readonly previousText: string } | "full";
  /**
   * @internal The tree with the reused rules not moved yet (moving every rule after an edit on
   * every keystroke is what an incremental parse must not do): `result.file` is made from it on
   * first use, and the checks read it directly.
   */
  readonly pending: PendingTree;
}

/**
 * @internal A tree whose rules may not have been moved to where they are yet: rule `i` of section
 * `s` lies at its range plus `sections[s].offsets[i]`. The sections themselves (their ranges and
 * names), the version and the comments are where they are; `file.sections[s]` is
 * `sections[s].section`, whose `rules` are the unmoved ones.
 */
export interface PendingTree {
  readonly file: PolicyFile;
  readonly sections: readonly PendingSection[];
}

/** @internal One section of a `PendingTree`. */
export interface PendingSection {
  /** The section, where it is, but with the unmoved rules. */
  readonly section: Section;
  /** How far each rule is to be moved; undefined when none is. */
  readonly offsets: readonly number[] | undefined;
}

/** The pending tree of a tree whose rules are all where they are. */
export function pendingOf(file: PolicyFile): PendingTree {
  return { file, sections: file.sections.map((section) => ({ section, offsets: undefined })) };
}

/** The tree of a pending tree, every rule moved to where it is. */
export function materialize(tree: PendingTree): PolicyFile {
  if (tree.sections.every((s) => s.offsets === undefined)) return tree.file;
  const sections = tree.sections.map(({ section, offsets }) => {
    if (!offsets) return section;
    const rules = new Array<Rule | ErrorNode>(section.rules.length);
    for (let i = 0; i < rules.length; i++) {
      const d = offsets[i] as number;
      rules[i] = d === 0 ? (section.rules[i] as Rule | ErrorNode) : shiftRule(section.rules[i] as Rule | ErrorNode, d);
    }
    return { ...section, rules };
  });
  return { ...tree.file, sections };
}

function incrementalParse(text: string, diagnostics: ParseResult["diagnostics"], clean: boolean, reparsed: IncrementalParse["reparsed"], pending: PendingTree): IncrementalParse {
  let file: PolicyFile | undefined;
  const result: ParseResult = {
    get file() {
      return (file ??= materialize(pending));
    },
    diagnostics,
  };
  return { text, result, clean, reparsed, pending };
}

/** Parses `text` from scratch, keeping what a later `reparse` needs. Never throws. */
export function parseForEditing(text: string): IncrementalParse {
  const p = parseWithTokens(text);
  return incrementalParse(text, p.diagnostics, p.clean, "full", pendingOf(p.file));
}

/**
 * Parses `text`, a later version of `previous.text`, re-parsing only the rules that changed when
 * that gives the same result as a full parse. Never throws.
 */
export function reparse(previous: IncrementalParse | undefined, text: string): IncrementalParse {
  if (previous) {
    if (previous.text === text) return previous;
    if (previous.clean) {
      try {
        const spliced = splice(previous, text);
        if (spliced) return spliced;
      } catch {
        // Fall back to a full parse: the incremental path is an optimisation only.
      }
    }
  }
  return parseForEditing(text);
}

function splice(previous: IncrementalParse, text: string): IncrementalParse | undefined {
  const old = previous.text;
  const n0 = old.length;
  const n1 = text.length;
  const max = Math.min(n0, n1);
  // The common prefix and suffix, compared a block at a time (a native comparison) before the
  // last block character by character: on a large file this runs on every keystroke.
  let pre = 0;
  while (pre + BLOCK <= max && old.slice(pre, pre + BLOCK) === text.slice(pre, pre + BLOCK)) pre += BLOCK;
  while (pre < max && old.charCodeAt(pre) === text.charCodeAt(pre)) pre++;
  let suf = 0;
  while (suf + BLOCK <= max - pre && old.slice(n0 - suf - BLOCK, n0 - suf) === text.slice(n1 - suf - BLOCK, n1 - suf)) suf += BLOCK;
  while (suf < max - pre && old.charCodeAt(n0 - 1 - suf) === text.charCodeAt(n1 - 1 - suf)) suf++;
  const oldEnd = n0 - suf;
  const delta = n1 - n0;
  const tree = previous.pending;
  const file = tree.file;

  // The section whose body (strictly between its braces) holds the whole change.
  const sectionIndex = file.sections.findIndex((s) => s.bodyRange.end - s.bodyRange.start >= 2 && s.bodyRange.start < pre && oldEnd < s.bodyRange.end);
  if (sectionIndex < 0) return undefined;
  const pendingSection = tree.sections[sectionIndex] as PendingSection;
  const section = pendingSection.section;
  if (text.charCodeAt(section.bodyRange.start) !== 0x7b || old.charCodeAt(section.bodyRange.end - 1) !== 0x7d) return undefined;
  const rules = section.rules;
  const offsets = pendingSection.offsets;
  // Where rule i is now (its range plus its pending offset).
  const startOf = (i: number) => (rules[i] as Rule | ErrorNode).range.start + (offsets ? (offsets[i] as number) : 0);
  const endOf = (i: number) => (rules[i] as Rule | ErrorNode).range.end + (offsets ? (offsets[i] as number) : 0);
  // [first, last): the rules that touch the change. The run re-parsed is [start, end) of the old
  // text: from the end of the rule before (or just after `{`) to the start of the rule after (or `}`).
  // Rule ranges are disjoint and in order, so both ends are found by binary search.
  const first = firstIndex(rules.length, (i) => endOf(i) >= pre);
  const last = firstIndex(rules.length, (i) => startOf(i) > oldEnd, first);
  for (let i = 0; i < rules.length; i++) if ((rules[i] as Rule | ErrorNode).kind !== "Rule") return undefined;
  const start = first > 0 ? endOf(first - 1) : section.bodyRange.start + 1;
  const end = last < rules.length ? startOf(last) : section.bodyRange.end - 1;
  if (start > pre || end < oldEnd) return undefined;
  const newEnd = end + delta;

  const scanned = scan(text, start, newEnd);
  if (scanned.stop !== newEnd || scanned.errors.length > 0) return undefined;
  let depth = 0;
  for (const t of scanned.tokens) {
    if (t.tokenType === LParen) {
      if (++depth > MAX_NESTING) return undefined;
    } else if (t.tokenType === RParen) depth--;
  }
  const lowering = new Lowering({ text, tokens: scanned.tokens, comments: scanned.comments });
  const parsed = parseRuleTokens(scanned.tokens, lowering);
  const lowered = lowering.rules(parsed.cst, parsed.errors);
  if (!lowered) return undefined;

  // The previous diagnostics of the re-parsed run are replaced; a zero-width one on its border
  // could belong to either side, so that case is left to a full parse.
  const kept: Diagnostic[] = [];
  for (const d of previous.result.diagnostics) {
    const r = d.range;
    if ((r.start === r.end && (r.start === start || r.start === end)) || d.code === "P9002") return undefined;
    if (r.start >= start && r.end <= end) continue;
    kept.push(r.start >= end ? shiftValue(d, delta) : d);
  }
  const fresh = dedupe([...lexicalDiagnostics(text, scanned), ...lowered.diagnostics]);
  if (kept.length + fresh.length > MAX_SYNTAX_DIAGNOSTICS) return undefined;
  for (const d of fresh) kept.push(d);

  // The rules after the run are not moved: their pending offsets grow by `delta`.
  const count = first + lowered.rules.length + (rules.length - last);
  const newRules = new Array<Rule>(count);
  const newOffsets = new Array<number>(count);
  let k = 0;
  for (let i = 0; i < first; i++, k++) {
    newRules[k] = rules[i] as Rule;
    newOffsets[k] = offsets ? (offsets[i] as number) : 0;
  }
  for (const r of lowered.rules) {
    newRules[k] = r;
    newOffsets[k++] = 0;
  }
  for (let i = last; i < rules.length; i++, k++) {
    newRules[k] = rules[i] as Rule;
    newOffsets[k] = (offsets ? (offsets[i] as number) : 0) + delta;
  }
  const newSection: Section = {
    ...section,
    range: { start: section.range.start, end: section.range.end + delta },
    rules: newRules,
    bodyRange: { start: section.bodyRange.start, end: section.bodyRange.end + delta },
  };
  const pendingSections: PendingSection[] = tree.sections.map((ps, i) => {
    if (i < sectionIndex) return ps;
    if (i === sectionIndex) return { section: newSection, offsets: newOffsets };
    const s = ps.section;
    return {
      section: { ...s, range: shiftRange(s.range, delta), nameRange: shiftRange(s.nameRange, delta), bodyRange: shiftRange(s.bodyRange, delta) },
      offsets: ps.offsets ? ps.offsets.map((o) => o + delta) : new Array<number>(s.rules.length).fill(delta),
    };
  });
  const comments: Comment[] = [];
  let addedFresh = false;
  const addFresh = () => {
    if (addedFresh) return;
    addedFresh = true;
    for (const c of scanned.comments) comments.push({ kind: "Comment", range: { start: c.startOffset, end: c.startOffset + c.image.length }, text: c.image, block: c.tokenType === BlockComment });
  };
  for (const c of file.comments) {
    if (c.range.end <= start) comments.push(c);
    else if (c.range.start >= end) {
      addFresh();
      comments.push(shiftComment(c, delta));
    } else if (c.range.start < start || c.range.end > end) return undefined;
  }
  addFresh();
  const version = file.version && file.version.range.start >= end ? shiftVersion(file.version, delta) : file.version;
  const newFile: PolicyFile = { ...file, range: { start: 0, end: n1 }, version, sections: pendingSections.map((ps) => ps.section), comments };
  return incrementalParse(text, sortDiagnostics(kept), true, { start, end: newEnd, previousText: old }, { file: newFile, sections: pendingSections });
}

/** A copy of a tree (AST node or diagnostic) with every range moved by `delta`. */
export function shiftValue<T>(value: T, delta: number): T {
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = shiftValue(value[i], delta);
    return out as T;
  }
  if (value === null || typeof value !== "object") return value;
  const v = value as Record<string, unknown>;
  if (typeof v["start"] === "number" && typeof v["end"] === "number" && v["kind"] === undefined) {
    return { start: (v["start"] as number) + delta, end: (v["end"] as number) + delta } as T;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = shiftValue(v[k], delta);
  return out as T;
}
