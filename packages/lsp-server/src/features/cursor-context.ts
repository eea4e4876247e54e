/**
 * Where the cursor stands in a policy, worked out from the tokens before it, so that completion
 * and signature help work on broken code, at the end of the file and inside unterminated strings
 * without waiting for (or trusting) a full parse.
 *
 * Only a window of text is lexed: from the section keyword that encloses the cursor (or at most
 * `WINDOW` characters back, from a line start), to the end of the cursor's line. Strings and `//`
 * comments never span lines, so a window that starts at a line start outside a block comment
 * (found by `blockCommentsBefore`, with the lexer's patterns) lexes like the whole file.
 */
import { blockCommentsBefore, tokenize, type SectionName, type TextRange } from "@maa-policy/core";

/** How many characters before the cursor are lexed at most. */
export const WINDOW = 8000;

/** A claim function call the cursor is inside of. */
export interface OpenCall {
  readonly name: string;
  /** Offset of the function name. */
  readonly nameStart: number;
  /** Offset of the `(`. */
  readonly parenStart: number;
  /** Index of the argument the cursor is in. */
  readonly argIndex: number;
}

/** What the string the cursor is in stands for. */
export type StringRole = "claimType" | "issuer" | "configProperty" | "configValue" | "jmesPath" | "other";

/** Where the cursor is, and what may come there. */
export type CursorPlace =
  | { readonly kind: "none" }
  | { readonly kind: "topLevel"; readonly hasVersion: boolean; readonly previousSection: SectionName | undefined }
  | { readonly kind: "ruleStart" }
  | { readonly kind: "afterCondition" }
  | { readonly kind: "testProperty" }
  | { readonly kind: "operator"; readonly property: string }
  | { readonly kind: "testOperand"; readonly property: string; readonly conditionClaimType: string | undefined }
  | { readonly kind: "afterTest" }
  | { readonly kind: "action" }
  | { readonly kind: "actionArgName"; readonly verb: string; readonly argsSoFar: readonly string[] }
  | { readonly kind: "actionArgValue"; readonly verb: string; readonly arg: string; readonly typeArg: string | undefined }
  | { readonly kind: "member"; readonly identifier: string }
  | {
      readonly kind: "string";
      readonly role: StringRole;
      /** Offset just after the opening quote. */
      readonly contentStart: number;
      /** Offset of the closing quote, or the end of the unterminated string. */
      readonly contentEnd: number;
      readonly terminated: boolean;
      /** For `configValue`: the property named by the `type=` argument. */
      readonly typeArg: string | undefined;
    };

/** The result of `cursorContext`. */
export interface CursorContext {
  readonly place: CursorPlace;
  /** The section the cursor is in, if any. */
  readonly section: SectionName | undefined;
  /** Identifiers bound earlier in the cursor's rule (`c` of `c:[…]`). */
  readonly bound: readonly string[];
  /** The start of the word being typed (equal to the cursor when none). */
  readonly wordStart: number;
  /** The innermost claim function call around the cursor, if any. */
  readonly call: OpenCall | undefined;
}

interface Tok {
  readonly type: string;
  readonly image: string;
  readonly start: number;
  readonly end: number;
}

const WORD_TYPES = new Set([
  "Identifier",
  "VersionKw",
  "ConfigurationrulesKw",
  "AuthorizationrulesKw",
  "IssuancerulesKw",
  "PermitKw",
  "DenyKw",
  "AddKw",
  "IssuepropertyKw",
  "IssuerKw",
  "IssueKw",
  "TypeKw",
  "ValueTypeKw",
  "ValueKw",
  "ClaimKw",
  "TrueKw",
  "FalseKw",
]);
const COMPARISONS = new Set(["EqEq", "NotEq", "LtEq", "GtEq", "Lt", "Gt", "Assign"]);
const PROPERTIES: Readonly<Record<string, string>> = { TypeKw: "type", ValueKw: "value", IssuerKw: "issuer" };
const ARGUMENTS: Readonly<Record<string, string>> = { TypeKw: "type", ValueKw: "value", IssuerKw: "issuer", ClaimKw: "claim", ValueTypeKw: "valueType" };
const ACTIONS: Readonly<Record<string, string>> = { PermitKw: "permit", DenyKw: "deny", AddKw: "add", IssueKw: "issue", IssuepropertyKw: "issueproperty" };
const STRINGS = new Set(["StringLiteral", "UnterminatedString", "CurlyString", "MixedQuoteString"]);

const SECTION_TOKENS: Readonly<Record<string, SectionName>> = {
  ConfigurationrulesKw: "configurationrules",
  AuthorizationrulesKw: "authorizationrules",
  IssuancerulesKw: "issuancerules",
};

/** The block comment of `blocks` that contains `offset` (a comment's first character excluded), if any. */
function blockAround(blocks: readonly TextRange[], offset: number): TextRange | undefined {
  for (let i = blocks.length - 1; i >= 0; i--) {
    const b = blocks[i] as TextRange;
    if (b.start < offset && offset < b.end) return b;
    if (b.end <= offset) return undefined;
  }
  return undefined;
}

/**
 * Where lexing a window may start, at or before `from` (a line start): at the line start of the
 * block comment `from` falls into, if any (strings and `//` comments never span lines, block
 * comments do; lexing a whole comment is one step).
 */
function safeStart(text: string, blocks: readonly TextRange[], from: number): number {
  const b = blockAround(blocks, from);
  return b ? lineStartOf(text, b.start) : from;
}

/** The number of characters of block comments between `from` and `to`. */
function commentLength(blocks: readonly TextRange[], from: number, to: number): number {
  let n = 0;
  for (const b of blocks) n += Math.max(0, Math.min(b.end, to) - Math.max(b.start, from));
  return n;
}

/**
 * Finds the last section keyword before `offset`, as the lexer sees it (never inside a comment
 * or a string): by lexing the `WINDOW` characters before it, and further back only at the start
 * of a line (where sections begin) outside block comments, so that the cost does not grow with
 * the size of the file.
 */
function lastSectionBefore(text: string, offset: number, blocks: readonly TextRange[]): { name: SectionName; start: number } | undefined {
  const floor = Math.max(0, offset - WINDOW);
  const from = Math.min(offset, safeStart(text, blocks, lineStartOf(text, floor)));
  const lexed = tokenize(text.slice(from, offset));
  for (let i = lexed.tokens.length - 1; i >= 0; i--) {
    const t = lexed.tokens[i] as (typeof lexed.tokens)[number];
    const name = SECTION_TOKENS[t.tokenType.name];
    // A keyword cut by the cursor (`issuanc|`) is still being typed.
    if (name !== undefined && from + t.startOffset + t.image.length <= offset) return { name, start: from + t.startOffset };
  }
  if (from === 0) return undefined;
  // Further back: only where a line starts with a section keyword (one native regular expression scan).
  const re = /(?:^|[\r\n])[ \t]*(configurationrules|authorizationrules|issuancerules)(?![A-Za-z0-9_])/g;
  const head = text.slice(0, from);
  let far: { name: SectionName; start: number } | undefined;
  for (let m = re.exec(head); m; m = re.exec(head)) {
    const start = m.index + m[0].length - (m[1] as string).length;
    if (blockAround(blocks, start + 1) === undefined) far = { name: m[1] as SectionName, start };
  }
  return far;
}

function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text.charCodeAt(i - 1) !== 10 && text.charCodeAt(i - 1) !== 13) i--;
  return i;
}

function lineEndOf(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
  return i;
}

/** Works out where `offset` stands in `text`. */
export function cursorContext(text: string, offset: number): CursorContext {
  const cursor = Math.max(0, Math.min(offset, text.length));
  const blocks = blockCommentsBefore(text, cursor);
  const section = lastSectionBefore(text, cursor, blocks);
  let windowStart: number;
  let truncated = false;
  // Block comments lex in one step each, so they do not count against the window.
  if (section && cursor - section.start - commentLength(blocks, section.start, cursor) <= WINDOW) windowStart = section.start;
  else if (section) {
    windowStart = lineStartOf(text, cursor - WINDOW);
    truncated = true;
  } else windowStart = Math.max(0, lineStartOf(text, cursor - WINDOW));
  windowStart = Math.min(cursor, safeStart(text, blocks, windowStart));
  if (blockAround(blocks, cursor) !== undefined) return { place: { kind: "none" }, section: section?.name, bound: [], wordStart: cursor, call: undefined };
  const windowEnd = lineEndOf(text, cursor);
  const lexed = tokenize(text.slice(windowStart, windowEnd));
  const all: Tok[] = lexed.tokens.map((t) => ({
    type: t.tokenType.name,
    image: t.image,
    start: windowStart + t.startOffset,
    end: windowStart + t.startOffset + t.image.length,
  }));
  for (const c of lexed.comments) {
    const start = windowStart + c.startOffset;
    if (start < cursor && cursor <= start + c.image.length) {
      return { place: { kind: "none" }, section: section?.name, bound: [], wordStart: cursor, call: undefined };
    }
  }
  // The token the cursor is in or at the end of (a word being typed, or a string).
  let wordStart = cursor;
  let stringTok: Tok | undefined;
  const before: Tok[] = [];
  for (const t of all) {
    if (t.start >= cursor) break;
    if (t.end < cursor || (t.end === cursor && !WORD_TYPES.has(t.type) && !(t.type === "UnterminatedString"))) {
      before.push(t);
      continue;
    }
    // t.start < cursor <= t.end
    if (STRINGS.has(t.type)) {
      const terminated = t.type !== "UnterminatedString";
      if (!terminated || cursor < t.end) stringTok = t;
      else before.push(t);
    } else if (WORD_TYPES.has(t.type)) {
      wordStart = t.start;
    } else {
      before.push(t);
    }
  }
  const state = runRule(before, section?.name, truncated);
  if (state.top) {
    const hasVersion = /(^|[^A-Za-z0-9_])version\s*=/.test(text.slice(0, windowStart === 0 ? cursor : cursor));
    return {
      place: stringTok ? { kind: "none" } : { kind: "topLevel", hasVersion, previousSection: state.closedSection },
      section: undefined,
      bound: [],
      wordStart,
      call: undefined,
    };
  }
  const call = state.calls.length > 0 ? state.calls[state.calls.length - 1] : undefined;
  const base = { section: section?.name, bound: state.bound, wordStart, call };
  if (stringTok) {
    const terminated = stringTok.type !== "UnterminatedString";
    const contentStart = stringTok.start + 1;
    const contentEnd = terminated ? stringTok.end - 1 : stringTok.end;
    let role: StringRole = "other";
    let typeArg: string | undefined;
    const p = state.place;
    if (call && call.name === "JmesPath" && call.argIndex === 1) role = "jmesPath";
    else if (call) role = "other";
    else if (p.kind === "testOperand") role = p.property === "type" ? "claimType" : p.property === "issuer" ? "issuer" : "other";
    else if (p.kind === "actionArgValue") {
      if (p.arg === "type") role = p.verb === "issueproperty" ? "configProperty" : "claimType";
      else if (p.arg === "issuer") role = "issuer";
      else if (p.arg === "value" && p.verb === "issueproperty") {
        role = "configValue";
        typeArg = p.typeArg;
      }
    }
    return { ...base, place: { kind: "string", role, contentStart, contentEnd, terminated, typeArg } };
  }
  // `c.` followed by the cursor (or a partial `va`).
  const last = before[before.length - 1];
  const prev = before[before.length - 2];
  if (last && last.type === "Dot" && prev && prev.type === "Identifier" && last.end === (wordStart === cursor ? cursor : wordStart)) {
    return { ...base, place: { kind: "member", identifier: prev.image } };
  }
  return { ...base, place: state.place };
}

interface RuleState {
  top: boolean;
  closedSection: SectionName | undefined;
  place: CursorPlace;
  bound: string[];
  calls: OpenCall[];
}

/** Runs the token state machine over the tokens before the cursor. */
function runRule(tokens: readonly Tok[], section: SectionName | undefined, truncated: boolean): RuleState {
  let i = 0;
  let inBody = truncated;
  if (!section) {
    return { top: true, closedSection: undefined, place: { kind: "none" }, bound: [], calls: [] };
  }
  if (truncated) {
    // Skip to the first rule boundary: the window may start in the middle of a rule.
    const first = tokens.findIndex((t) => t.type === "Semicolon" || t.type === "LBrace");
    i = first < 0 ? tokens.length : first + 1;
  } else {
    // tokens[0] is the section keyword.
    i = 1;
    while (i < tokens.length && !inBody) {
      const t = tokens[i] as Tok;
      i++;
      if (t.type === "LBrace") inBody = true;
    }
    if (!inBody) return { top: false, closedSection: undefined, place: { kind: "none" }, bound: [], calls: [] };
  }
  let ruleStart = i;
  for (let k = i; k < tokens.length; k++) {
    const t = tokens[k] as Tok;
    if (t.type === "Semicolon") ruleStart = k + 1;
    else if (t.type === "RBrace") {
      // Only a `}` outside brackets and parentheses closes the section body.
      if (!insideGroup(tokens, ruleStart, k)) {
        return { top: true, closedSection: section, place: { kind: "none" }, bound: [], calls: [] };
      }
    }
  }
  return { top: false, closedSection: undefined, ...ruleState(tokens.slice(ruleStart)) };
}

function insideGroup(tokens: readonly Tok[], from: number, to: number): boolean {
  let depth = 0;
  for (let k = from; k < to; k++) {
    const t = (tokens[k] as Tok).type;
    if (t === "LBracket" || t === "LParen") depth++;
    else if ((t === "RBracket" || t === "RParen") && depth > 0) depth--;
  }
  return depth > 0;
}

function ruleState(tokens: readonly Tok[]): { place: CursorPlace; bound: string[]; calls: OpenCall[] } {
  const bound: string[] = [];
  const calls: { name: string; nameStart: number; parenStart: number; argIndex: number }[] = [];
  let inBracket = false;
  let property: string | undefined;
  let opSeen = false;
  let operandSeen = false;
  let conditionClaimType: string | undefined;
  let conditionsSeen = 0;
  let afterArrow = false;
  let verb: string | undefined;
  let inArgs = false;
  let argName: string | undefined;
  let argAssign = false;
  let argValueSeen = false;
  let typeArg: string | undefined;
  const argsSoFar: string[] = [];
  let prevType = "";
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k] as Tok;
    const next = tokens[k + 1];
    const open = calls[calls.length - 1];
    if (open) {
      // Inside a function call: track nesting and argument index only.
      if (t.type === "LParen") {
        const callee = tokens[k - 1];
        calls.push({ name: callee && callee.type === "Identifier" ? callee.image : "", nameStart: callee ? callee.start : t.start, parenStart: t.start, argIndex: 0 });
      } else if (t.type === "RParen") {
        calls.pop();
        if (calls.length === 0) {
          if (inBracket) operandSeen = true;
          else if (inArgs) argValueSeen = true;
        }
      } else if (t.type === "Comma") open.argIndex++;
      prevType = t.type;
      continue;
    }
    switch (t.type) {
      case "LBracket":
        inBracket = true;
        property = undefined;
        opSeen = false;
        operandSeen = false;
        conditionClaimType = undefined;
        break;
      case "RBracket":
        inBracket = false;
        conditionsSeen++;
        break;
      case "Arrow":
        afterArrow = true;
        inBracket = false;
        break;
      case "AndAnd":
        break;
      case "Colon":
        if (prevType === "Identifier" && k > 0) bound.push((tokens[k - 1] as Tok).image);
        break;
      case "Comma":
        if (inBracket) {
          property = undefined;
          opSeen = false;
          operandSeen = false;
        } else if (inArgs) {
          argName = undefined;
          argAssign = false;
          argValueSeen = false;
        }
        break;
      case "LParen": {
        const callee = tokens[k - 1];
        if (callee && callee.type === "Identifier" && (inBracket ? opSeen : inArgs && argAssign)) {
          calls.push({ name: callee.image, nameStart: callee.start, parenStart: t.start, argIndex: 0 });
        } else if (afterArrow && verb !== undefined && !inArgs) {
          inArgs = true;
        }
        break;
      }
      case "RParen":
        if (inArgs) {
          inArgs = false;
          verb = verb ?? "";
        }
        break;
      default:
        if (inBracket) {
          if (!opSeen && property === undefined && PROPERTIES[t.type]) property = PROPERTIES[t.type];
          else if (COMPARISONS.has(t.type)) opSeen = true;
          else if (opSeen) {
            operandSeen = true;
            if (property === "type" && t.type === "StringLiteral") conditionClaimType = t.image.slice(1, -1);
          }
        } else if (afterArrow && !inArgs && ACTIONS[t.type]) {
          verb = ACTIONS[t.type];
        } else if (afterArrow && !inArgs && t.type === "Identifier" && next?.type === "LParen") {
          verb = t.image;
        } else if (inArgs) {
          if (!argAssign && ARGUMENTS[t.type] && next?.type === "Assign") {
            argName = ARGUMENTS[t.type];
            argsSoFar.push(argName as string);
          } else if (t.type === "Assign" && argName !== undefined) argAssign = true;
          else if (argAssign) {
            argValueSeen = true;
            if (argName === "type" && t.type === "StringLiteral") typeArg = t.image.slice(1, -1);
          }
        }
    }
    prevType = t.type;
  }
  const outCalls: OpenCall[] = calls.map((c) => ({ ...c }));
  let place: CursorPlace;
  if (calls.length > 0) {
    place = inBracket
      ? { kind: "testOperand", property: property ?? "value", conditionClaimType }
      : { kind: "actionArgValue", verb: verb ?? "", arg: argName ?? "value", typeArg };
  } else if (inArgs) {
    if (argAssign && !argValueSeen) place = { kind: "actionArgValue", verb: verb ?? "", arg: argName ?? "", typeArg };
    else if (!argAssign && argName === undefined) place = { kind: "actionArgName", verb: verb ?? "", argsSoFar };
    else place = { kind: "none" };
  } else if (afterArrow) {
    place = verb === undefined ? { kind: "action" } : { kind: "none" };
  } else if (inBracket) {
    if (property === undefined) place = opSeen ? { kind: "none" } : { kind: "testProperty" };
    else if (!opSeen) place = { kind: "operator", property };
    else if (!operandSeen) place = { kind: "testOperand", property, conditionClaimType };
    else place = { kind: "afterTest" };
  } else {
    const lastType = tokens.length > 0 ? (tokens[tokens.length - 1] as Tok).type : "";
    if (lastType === "RBracket") place = { kind: "afterCondition" };
    else if (tokens.length === 0 || lastType === "AndAnd") place = { kind: "ruleStart" };
    else if (lastType === "Bang" || lastType === "Colon") place = { kind: "none" };
    else place = conditionsSeen > 0 ? { kind: "afterCondition" } : { kind: "ruleStart" };
  }
  return { place, bound, calls: outCalls };
}
