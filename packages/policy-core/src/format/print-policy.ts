/**
 * The house style: from a policy's syntax tree (and its tokens and comments) to a `Doc`.
 *
 * The printer walks the tree in source order and prints every source token exactly as written
 * (strings keep their escapes, integers their spelling), through `tok()`, which checks that the
 * token is the one the tree expects and prints the comments attached to it. Only whitespace and
 * the place of line breaks change, so the output parses to the same tree. The layout is
 * documented in `docs/formatting.md`.
 */
import type { Action, Argument, Condition, Expr, PolicyFile, Rule, Section, Test, VersionDecl } from "../syntax/ast.js";
import { assertNever } from "../util/assert-never.js";
import { CommentMap, FormatInternalError, formatDirective, type PlacedComment, type SourceToken } from "./comments.js";
import type { DocPrinter } from "./printer.js";
import {
  concat,
  freshLine,
  group,
  hardline,
  indent,
  line,
  lineComment,
  softline,
  verbatim,
  type Doc,
} from "./doc.js";

const NO_DOCS: readonly Doc[] = Object.freeze([]);

/** `doc` after the comments `lead` (what `leadingComments` took). */
function withLead(lead: readonly Doc[], doc: Doc): Doc {
  return lead.length === 0 ? doc : concat([...lead, doc]);
}

/** `doc` followed by `after` (the comment `tokClose` kept apart, or nothing). */
function withAfter(doc: Doc, after: Doc): Doc {
  return after === "" ? doc : concat([doc, after]);
}

/** A statement of a list (the version, a section, a rule) as the list printer sees it. */
interface Statement {
  /** The index of its first token. */
  readonly first: number;
  /** Prints the statement through `out`, in pieces or whole. */
  readonly print: (out: (d: Doc) => void) => void;
}

/**
 * Prints one policy; build one per formatting run. The layout goes to a `DocPrinter` statement by
 * statement (rule by rule in a section), so that no `Doc` of the whole file is ever built.
 */
export class PolicyPrinter {
  private next = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly SourceToken[],
    private readonly comments: CommentMap,
    private readonly eol: string,
  ) {}

  /**
   * Prints the whole file to `sink` (then `sink.finish()` gives the text); throws
   * `FormatInternalError` when the tree and the tokens disagree.
   */
  printFile(file: PolicyFile, sink: DocPrinter): void {
    const statements: Statement[] = [];
    const version = file.version;
    if (version) statements.push({ first: this.tokenAt(version.range.start), print: (out) => out(this.printVersion(version)) });
    for (const s of file.sections) statements.push({ first: this.tokenAt(s.range.start), print: () => this.printSection(s, sink) });
    this.printStatements(statements, this.tokens.length, true, (d) => sink.print(d, 0));
    if (this.next !== this.tokens.length) throw new FormatInternalError(`token ${this.next} of ${this.tokens.length} was not printed`);
    if (this.comments.remaining() !== 0) throw new FormatInternalError(`${this.comments.remaining()} comments were not printed`);
  }

  // -------------------------------------------------------------------------------------------
  // Tokens and comments
  // -------------------------------------------------------------------------------------------

  /** The index of the token that starts at `offset`. */
  private tokenAt(offset: number): number {
    const i = this.tokenAtOrAfter(offset);
    if ((this.tokens[i] as SourceToken | undefined)?.startOffset !== offset) throw new FormatInternalError(`no token starts at offset ${offset}`);
    return i;
  }

  /** The index of the first token that starts at or after `offset`. */
  private tokenAtOrAfter(offset: number): number {
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.tokens[mid] as SourceToken).startOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Prints the next token (checking it is `expected` when given) with its own comments. */
  private tok(expected?: string): Doc {
    const i = this.next;
    const t = this.tokens[i];
    if (t === undefined || (expected !== undefined && t.image !== expected)) {
      throw new FormatInternalError(`expected \`${expected ?? "a token"}\` at token ${i}, found \`${t?.image ?? "the end"}\``);
    }
    this.next++;
    const lead = this.comments.takeLeading(i);
    const trail = this.comments.takeTrailing(i);
    if (lead.length === 0 && trail === undefined) return t.image;
    const parts: Doc[] = [];
    for (const c of lead) parts.push(freshLine, lineComment(c.text));
    parts.push(t.image);
    if (trail) parts.push(lineComment(trail.text));
    return concat(parts);
  }

  /**
   * Prints the next token, which closes a group, and returns its trailing comment apart, to be
   * printed after the group (so that it does not force the group to break).
   */
  private tokClose(expected: string): [Doc, Doc] {
    const trailing = this.comments.takeTrailing(this.next);
    return [this.tok(expected), trailing ? lineComment(trailing.text) : ""];
  }

  /**
   * Takes the own-line comments before the next token, to be printed before the group that the
   * token opens (so that they do not force the group to break).
   */
  private leadingComments(): readonly Doc[] {
    const list = this.comments.takeLeading(this.next);
    if (list.length === 0) return NO_DOCS;
    const parts: Doc[] = [];
    for (const c of list) parts.push(freshLine, lineComment(c.text));
    return parts;
  }

  // -------------------------------------------------------------------------------------------
  // Statement lists: top level and section bodies (comments, blank lines, verbatim regions)
  // -------------------------------------------------------------------------------------------

  /**
   * Prints statements one per line with the comments before each and the dangling comments
   * before `terminator` (the `}` of a body, or the end of the file). Blank lines are kept
   * (collapsed to one), except at the start of the list; `topLevel` puts one between statements.
   * Gives `out` the parts, separated by line breaks, without a leading or final line break (so
   * that each part is followed by a line break or by nothing, as `DocPrinter` requires).
   */
  private printStatements(statements: readonly Statement[], terminator: number, topLevel: boolean, out: (d: Doc) => void): void {
    let printed = false;
    const separate = (blank: boolean): void => {
      if (printed) {
        out(hardline);
        if (blank) out(hardline);
      }
      printed = true;
    };
    let s = 0;
    let forceBlank = false;
    while (s <= statements.length) {
      const stmt = statements[s];
      const at = stmt ? stmt.first : terminator;
      const list = this.comments.peekLeading(at);
      let jumped = false;
      for (let j = 0; j < list.length; j++) {
        const c = list[j] as PlacedComment;
        if (formatDirective(c.text) === "off") {
          separate(forceBlank || c.blankBefore);
          forceBlank = false;
          s = this.printVerbatimRegion(c, statements, s, j, terminator, out);
          forceBlank = topLevel;
          jumped = true;
          break;
        }
        separate(forceBlank || c.blankBefore);
        forceBlank = false;
        out(c.text);
      }
      if (jumped) continue;
      this.comments.takeLeading(at);
      if (stmt) {
        if (this.next !== stmt.first) throw new FormatInternalError(`statement at token ${stmt.first} printed at token ${this.next}`);
        separate(forceBlank || this.comments.blankBefore(at));
        stmt.print(out);
        forceBlank = topLevel;
      }
      s++;
    }
  }

  /**
   * Copies the text from the line of the `off` comment (`statements[s]`'s comment `j`, or the
   * terminator's when `s === statements.length`) to the matching `on` comment at statement level
   * in the same list, or to the end of the list. Returns the statement to go on with.
   */
  private printVerbatimRegion(
    off: PlacedComment,
    statements: readonly Statement[],
    s: number,
    j: number,
    terminator: number,
    out: (d: Doc) => void,
  ): number {
    let end: number | undefined;
    let resume = statements.length + 1;
    for (let k = s; k <= statements.length && end === undefined; k++) {
      const list = this.comments.peekLeading(k < statements.length ? (statements[k] as Statement).first : terminator);
      for (let i = k === s ? j + 1 : 0; i < list.length; i++) {
        const c = list[i] as PlacedComment;
        if (formatDirective(c.text) === "on") {
          end = c.comment.range.end;
          resume = k;
          break;
        }
      }
    }
    if (end === undefined) {
      end = terminator < this.tokens.length ? (this.tokens[terminator] as SourceToken).startOffset : this.text.length;
      while (end > off.comment.range.end && /\s/.test(this.text.charAt(end - 1))) end--;
    }
    let start = off.comment.range.start;
    while (start > 0 && !/[\r\n]/.test(this.text.charAt(start - 1))) start--;
    if (this.text.charCodeAt(start) === 0xfeff) start++;
    out(verbatim(this.text.slice(start, end).replace(/\r\n|\r|\n/g, this.eol)));
    this.comments.consumeBefore(end);
    this.next = this.tokenAtOrAfter(end);
    return resume;
  }

  // -------------------------------------------------------------------------------------------
  // Nodes
  // -------------------------------------------------------------------------------------------

  private printVersion(v: VersionDecl): Doc {
    const parts: Doc[] = [this.tok("version"), this.tok("=")];
    while (this.next < this.tokens.length && (this.tokens[this.next] as SourceToken).image !== ";") {
      if ((this.tokens[this.next] as SourceToken).startOffset >= v.range.end) throw new FormatInternalError("the version statement has no `;`");
      parts.push(this.tok());
    }
    parts.push(this.tok(";"));
    return concat(parts);
  }

  /** Prints a section to `sink` (at the top level): its name and braces, and its body rule by rule, indented. */
  private printSection(s: Section, sink: DocPrinter): void {
    sink.print(concat([this.tok(s.nameText), hardline, this.tok("{")]), 0);
    const closeIndex = this.tokenAt(s.bodyRange.end - 1);
    const rules: Statement[] = s.rules.map((r) => {
      if (r.kind !== "Rule") throw new FormatInternalError("a section holds an error node");
      return { first: this.tokenAt(r.range.start), print: (out) => out(this.printRule(r)) };
    });
    // The body is `indent([hardline, ...parts])`, printed part by part at level 1.
    let empty = true;
    this.printStatements(rules, closeIndex, false, (d) => {
      if (empty) sink.print(hardline, 1);
      empty = false;
      sink.print(d, 1);
    });
    sink.print(hardline, 0);
    sink.print(concat([this.tok("}"), this.tok(";")]), 0);
  }

  private printRule(r: Rule): Doc {
    if (r.conditions.length === 0) {
      const arrow = this.tok("=>");
      const action = this.printAction(r.action);
      return concat([arrow, " ", action, this.tok(";")]);
    }
    const first = this.printCondition(r.conditions[0] as Condition);
    const rest: Doc[] = [];
    for (let i = 1; i < r.conditions.length; i++) {
      const and = this.tok("&&");
      rest.push(line, and, " ", this.printCondition(r.conditions[i] as Condition));
    }
    const conditions = rest.length > 0 ? group(concat([first, indent(concat(rest))])) : first;
    const arrow = this.tok("=>");
    const action = this.printAction(r.action);
    return concat([group(concat([conditions, indent(concat([line, arrow, " ", action]))])), this.tok(";")]);
  }

  private printCondition(c: Condition): Doc {
    const lead = this.leadingComments();
    const head: Doc[] = [];
    if (c.negated) head.push(this.tok("!"));
    if (c.binding) head.push(this.tok(c.binding.name), this.tok(":"));
    head.push(this.tok("["));
    if (c.tests.length === 0) {
      head.push(this.tok("]"));
      return withLead(lead, concat(head));
    }
    const tests: Doc[] = [softline];
    for (let i = 0; i < c.tests.length; i++) {
      const t = c.tests[i] as Condition["tests"][number];
      if (t.kind !== "Test") throw new FormatInternalError("a condition holds an error node");
      if (i > 0) tests.push(this.tok(","), line);
      tests.push(this.printTest(t));
    }
    const [close, after] = this.tokClose("]");
    head.push(indent(concat(tests)), softline, close);
    return withLead(lead, withAfter(group(concat(head)), after));
  }

  private printTest(t: Test): Doc {
    return concat([this.tok(t.propertyText), this.tok(t.operator), this.printExpr(t.operand)]);
  }

  private printAction(a: Action | Rule["action"]): Doc {
    if (a.kind !== "Action") throw new FormatInternalError("a rule holds an error node instead of its action");
    const lead = this.leadingComments();
    const verb = this.tok(a.verbText);
    const open = this.tok("(");
    if (a.args.length === 0) return withLead(lead, concat([verb, open, this.tok(")")]));
    const args: Doc[] = [softline];
    for (let i = 0; i < a.args.length; i++) {
      if (i > 0) args.push(this.tok(","), line);
      args.push(this.printArgument(a.args[i] as Argument));
    }
    const [close, after] = this.tokClose(")");
    return withLead(lead, withAfter(group(concat([verb, open, indent(concat(args)), softline, close])), after));
  }

  private printArgument(a: Argument): Doc {
    if (a.name === undefined) throw new FormatInternalError("a positional argument");
    return concat([this.tok(a.nameText), this.tok("="), this.printExpr(a.value)]);
  }

  private printExpr(e: Expr): Doc {
    switch (e.kind) {
      case "StringLiteral": {
        const t = this.tokens[this.next];
        if (t === undefined || !t.image.startsWith('"')) throw new FormatInternalError("a string literal is not a string token");
        return this.tok();
      }
      case "IntegerLiteral":
        return this.tok(e.raw);
      case "BooleanLiteral":
        return this.tok(e.value ? "true" : "false");
      case "ValueRef":
        return concat([this.tok(e.identifier.name), this.tok("."), this.tok("value")]);
      case "Identifier":
        return this.tok(e.name);
      case "Call": {
        const lead = this.leadingComments();
        const callee = this.tok(e.callee);
        const open = this.tok("(");
        if (e.args.length === 0) return withLead(lead, concat([callee, open, this.tok(")")]));
        const args: Doc[] = [softline];
        for (let i = 0; i < e.args.length; i++) {
          if (i > 0) args.push(this.tok(","), line);
          args.push(this.printExpr(e.args[i] as Expr));
        }
        const [close, after] = this.tokClose(")");
        return withLead(lead, withAfter(group(concat([callee, open, indent(concat(args)), softline, close])), after));
      }
      case "ErrorNode":
        throw new FormatInternalError("an expression is an error node");
      default:
        return assertNever(e);
    }
  }
}
