/**
 * `compile(text)`: lints a policy (`check`: syntax and static checks), and builds the
 * `CompiledPolicy` that `evaluate()` runs. When the text has errors there is no compiled policy.
 * The linter reports the static errors with its own codes and fixes; compiling still verifies
 * everything evaluation relies on (an identifier used but not bound, an unknown function, a
 * missing argument …) and reports what no other diagnostic explains as P3009.
 */
import { diagnostic, hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Action, Condition, Expr as AstExpr, PolicyFile, Rule, Section } from "../syntax/ast.js";
import { check, type CheckOptions } from "../check/index.js";
import { parse } from "../syntax/parse.js";
import { FUNCTION_NAMES, type FunctionName, type SectionName } from "../syntax/tokens.js";
import type { TextRange } from "../text/text-range.js";
import { suggest } from "../util/suggest.js";
import { BUILTINS } from "./builtins/table.js";
import type {
  CompiledAction,
  CompiledCondition,
  CompiledPolicy,
  CompiledRule,
  CompiledTest,
  Effect,
  Expr,
} from "./program.js";
import { canonicalInteger, parseIntegerText, single, type ClaimValue } from "./value.js";

// CAUTION: public API
/** The result of `compile`. */
export interface CompileResult {
  /** The compiled policy, or undefined when the text has errors. */
  readonly policy: CompiledPolicy | undefined;
  /** Every diagnostic (syntax, checks, and P3009), sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
}

// CAUTION: public API
/** Options of `compile`: the linter's (rule levels, attestation type), and whether to lint at all. */
export interface CompileOptions extends CheckOptions {
  /**
   * Run the linter (default true). With `false` only syntax errors (and P3009) stop compilation,
   * so that policies the linter rejects statically can still be run, e.g. to see the run-time
   * failure, or by tools that lint separately.
   */
  readonly lint?: boolean;
}

/**
 * Compiles a policy. Never throws on any text. A check configured as an error stops compilation
 * like any other error.
 */
export function compile(text: string, options: CompileOptions = {}): CompileResult {
  const analysed = options.lint === false ? parse(text) : check(text, options);
  const diagnostics = [...analysed.diagnostics];
  if (hasErrors(diagnostics)) return { policy: undefined, diagnostics: sortDiagnostics(diagnostics) };
  const lowering = new Lowering(text);
  const policy = lowering.policy(analysed.file);
  diagnostics.push(...lowering.diagnostics);
  if (lowering.diagnostics.length > 0) return { policy: undefined, diagnostics: sortDiagnostics(diagnostics) };
  return { policy, diagnostics: sortDiagnostics(diagnostics) };
}

const SECTION_EFFECTS: Record<SectionName, Record<Action["verb"] & string, Effect>> = {
  configurationrules: { permit: "none", deny: "none", add: "add", issue: "add", issueproperty: "issueproperty" },
  authorizationrules: { permit: "permit", deny: "deny", add: "add", issue: "add", issueproperty: "add" },
  issuancerules: { permit: "none", deny: "none", add: "add", issue: "issue", issueproperty: "issueproperty" },
};

class Lowering {
  readonly diagnostics: Diagnostic[] = [];
  private functionsAllowed = true;
  private configAllowed = true;

  constructor(private readonly text: string) {}

  private error(r: TextRange, message: string): void {
    this.diagnostics.push(diagnostic("P3009", r, message));
  }

  policy(file: PolicyFile): CompiledPolicy {
    const v = file.version;
    const major = v?.major ?? 1;
    const minor = v?.minor ?? 2;
    const known = v !== undefined && ["1.0", "1.1", "1.2"].includes(v.value);
    // An unknown version is an error; the rest is still analysed as 1.2 (LANGUAGE.md section 1).
    if (v !== undefined && !known) this.error(v.valueRange, `unknown version \`${v.value}\`: the known versions are 1.0, 1.1 and 1.2`);
    this.functionsAllowed = !known || major > 1 || minor >= 2;
    this.configAllowed = !known || major > 1 || minor >= 1;
    const found: Partial<Record<SectionName, readonly CompiledRule[]>> = {};
    let lastOrder = -1;
    for (const s of file.sections) {
      if (s.name === undefined) {
        this.error(s.nameRange, `unknown section \`${s.nameText}\``);
        continue;
      }
      const order = ["configurationrules", "authorizationrules", "issuancerules"].indexOf(s.name);
      if (found[s.name] !== undefined) {
        this.error(s.nameRange, `section \`${s.name}\` appears twice`);
        continue;
      }
      if (order < lastOrder) this.error(s.nameRange, `section \`${s.name}\` is out of order: the order is configurationrules, authorizationrules, issuancerules`);
      lastOrder = Math.max(lastOrder, order);
      if (s.name === "configurationrules" && !this.configAllowed) {
        this.error(s.nameRange, `\`configurationrules\` needs version 1.1 or later (this policy declares \`${v?.value ?? ""}\`)`);
      }
      found[s.name] = this.section(s, s.name);
    }
    if (found.authorizationrules === undefined) {
      this.error({ start: file.range.end, end: file.range.end }, "the policy has no `authorizationrules` section: nothing can permit");
    }
    const configuration = found.configurationrules ?? [];
    const authorization = found.authorizationrules ?? [];
    const issuance = found.issuancerules ?? [];
    return {
      version: v?.value ?? "1.2",
      configuration,
      authorization,
      issuance,
      rules: [...configuration, ...authorization, ...issuance],
      textLength: this.text.length,
    };
  }

  private section(s: Section, name: SectionName): CompiledRule[] {
    const out: CompiledRule[] = [];
    let index = 0;
    for (const r of s.rules) {
      index++;
      if (r.kind === "ErrorNode") {
        this.error(r.range, "this rule could not be read");
        continue;
      }
      const c = this.rule(r, name, index);
      if (c) out.push(c);
    }
    return out;
  }

  private rule(r: Rule, section: SectionName, index: number): CompiledRule | undefined {
    const slots = new Map<string, number>();
    const conditions: CompiledCondition[] = [];
    for (const c of r.conditions) conditions.push(this.condition(c, slots));
    if (r.action.kind === "ErrorNode") {
      this.error(r.action.range, "this action could not be read");
      return undefined;
    }
    const action = this.action(r.action, section, slots);
    if (!action) return undefined;
    return { section, index, range: r.range, conditions, action, slots: slots.size };
  }

  private condition(c: Condition, slots: Map<string, number>): CompiledCondition {
    const tests: CompiledTest[] = [];
    let literalOnly = true;
    for (const t of c.tests) {
      if (t.kind === "ErrorNode") {
        this.error(t.range, "this test could not be read");
        continue;
      }
      if (t.property === undefined) {
        this.error(t.propertyRange, `unknown claim property \`${t.propertyText}\`: a test examines \`type\`, \`value\` or \`issuer\``);
        continue;
      }
      const operand = this.expr(t.operand, slots);
      if (!operand) continue;
      if (operand.k !== "lit") literalOnly = false;
      tests.push({ property: t.property, operator: t.operator, operand, range: t.range });
    }
    let slot = -1;
    const binding = c.binding?.name;
    if (c.binding !== undefined) {
      if (c.negated) this.error(c.binding.range, `a negated condition cannot bind \`${c.binding.name}\``);
      if (slots.has(c.binding.name)) this.error(c.binding.range, `identifier \`${c.binding.name}\` is bound twice in this rule`);
      else {
        slot = slots.size;
        slots.set(c.binding.name, slot);
      }
    }
    const key = tests.find((t) => t.property === "type" && t.operator === "==" && t.operand.k === "lit" && typeof t.operand.value === "string");
    const typeKey = key !== undefined && key.operand.k === "lit" ? (key.operand.value as string) : undefined;
    return { negated: c.negated, slot, binding, tests, literalOnly, typeKey, range: c.range };
  }

  private action(a: Action, section: SectionName, slots: Map<string, number>): CompiledAction | undefined {
    if (a.verb === undefined) {
      this.error(a.verbRange, `unknown action \`${a.verbText}\``);
      return undefined;
    }
    const effect = SECTION_EFFECTS[section][a.verb];
    let note: string | undefined;
    if (effect === "none") note = `\`${a.verb}()\` has no effect in ${section}: it votes only in authorizationrules`;
    else if (effect !== a.verb) note = `\`${a.verb}\` is not allowed in ${section}: it behaves as \`add\` there`;
    else if (a.verb === "add" && section === "configurationrules") note = "`add` is not documented for configurationrules: it adds to the incoming claims";
    if (a.verb === "permit" || a.verb === "deny") {
      if (a.args.length > 0) this.error(a.parenRange, `\`${a.verb}()\` takes no arguments`);
      return { verb: a.verb, effect, note, claimSlot: -1, args: [], range: a.range };
    }
    const claimArg = a.args.find((x) => x.name === "claim");
    if (claimArg !== undefined) {
      if (a.args.length > 1) this.error(a.parenRange, "`claim=` must be the only argument");
      const v = claimArg.value;
      if (v.kind !== "Identifier") {
        this.error(v.range, "`claim=` takes an identifier bound by a condition, such as `claim=c`");
        return undefined;
      }
      const slot = slots.get(v.name);
      if (slot === undefined) {
        this.error(v.range, `identifier \`${v.name}\` is not bound by a condition of this rule`);
        return undefined;
      }
      return { verb: a.verb, effect, note, claimSlot: slot, args: [], range: a.range };
    }
    const args: { name: "type" | "value" | "valueType" | "issuer"; expr: Expr }[] = [];
    const seen = new Set<string>();
    for (const arg of a.args) {
      if (arg.name === undefined) {
        this.error(arg.range, "an argument needs a name: `type=`, `value=`, `valueType=` or `issuer=`");
        continue;
      }
      if (arg.name === "claim") continue;
      if (seen.has(arg.name)) {
        this.error(arg.nameRange, `argument \`${arg.name}\` is given twice`);
        continue;
      }
      seen.add(arg.name);
      const e = this.expr(arg.value, slots);
      if (e) args.push({ name: arg.name, expr: e });
    }
    for (const required of ["type", "value"] as const) {
      if (!seen.has(required)) this.error(a.parenRange, `\`${a.verb}\` needs a \`${required}=\` argument (or the single argument \`claim=\`)`);
    }
    return { verb: a.verb, effect, note, claimSlot: -1, args, range: a.range };
  }

  private expr(e: AstExpr, slots: Map<string, number>, depth = 0): Expr | undefined {
    switch (e.kind) {
      case "StringLiteral":
        return lit(e.value, e.range);
      case "BooleanLiteral":
        return lit(e.value, e.range);
      case "IntegerLiteral": {
        const v = Number.isSafeInteger(e.value) ? canonicalInteger(e.value) : parseIntegerText(e.raw);
        if (v === undefined) {
          this.error(e.range, `integer \`${e.raw}\` is outside the signed 64-bit range`);
          return undefined;
        }
        return lit(v, e.range);
      }
      case "ValueRef": {
        const slot = slots.get(e.identifier.name);
        if (slot === undefined) {
          this.error(e.identifier.range, `identifier \`${e.identifier.name}\` is not bound by an earlier condition of this rule`);
          return undefined;
        }
        return { k: "ref", slot, name: e.identifier.name, range: e.range };
      }
      case "Identifier":
        this.error(e.range, `a bare identifier is not a value: write \`${e.name}.value\``);
        return undefined;
      case "Call": {
        if (!(FUNCTION_NAMES as readonly string[]).includes(e.callee)) {
          const hint = suggest(e.callee, FUNCTION_NAMES);
          this.error(e.calleeRange, `unknown function \`${e.callee}\`${hint ? ` (did you mean \`${hint}\`?)` : ""}`);
          return undefined;
        }
        if (!this.functionsAllowed) {
          this.error(e.calleeRange, `function \`${e.callee}\` needs version 1.2 or later`);
        }
        const fn = BUILTINS[e.callee as FunctionName];
        if (e.args.length !== fn.params.length) {
          this.error(
            e.parenRange,
            `\`${fn.name}\` takes ${fn.params.length} argument${fn.params.length === 1 ? "" : "s"}, not ${e.args.length}`,
          );
          return undefined;
        }
        const args: Expr[] = [];
        let ok = true;
        for (const a of e.args) {
          const c = this.expr(a, slots, depth + 1);
          if (c) args.push(c);
          else ok = false;
        }
        if (!ok) return undefined;
        const literals = args.map((x) => (x.k === "lit" ? x.value : undefined));
        const prepared = fn.prepare ? fn.prepare(literals) : undefined;
        const inner = args.reduce((m, x) => Math.max(m, x.k === "call" ? x.depth : 0), 0);
        return { k: "call", fn, args, prepared, range: e.range, depth: inner + 1 };
      }
      case "ErrorNode":
        this.error(e.range, "this expression could not be read");
        return undefined;
    }
  }
}

function lit(value: ClaimValue, range: TextRange): Expr {
  return { k: "lit", value, set: single(value), range };
}
