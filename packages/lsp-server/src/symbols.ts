/**
 * An index of the names in a policy: identifier bindings and their uses (scoped to one rule),
 * and every mention of a claim type (in tests and in action `type=` arguments).
 */
import { walk, type Condition, type Identifier, type PolicyFile, type Rule, type StringLiteral, type TextRange } from "@maa-policy/core";

/** One identifier in one rule: where it is bound (if anywhere) and where it is used. */
export interface IdentifierSymbol {
  readonly name: string;
  /** The rule the identifier belongs to. */
  readonly rule: Rule;
  /** The `c` of `c:[…]`, and the condition it binds; undefined when the identifier is never bound. */
  readonly binding: { readonly identifier: Identifier; readonly condition: Condition } | undefined;
  /** Later bindings of the same name in the same rule (an error, but still part of the symbol). */
  readonly rebindings: readonly Identifier[];
  /** Every use: `c.value`, `claim=c`. */
  readonly uses: readonly Identifier[];
}

/** A string literal that names a claim type. */
export interface ClaimTypeMention {
  readonly type: string;
  readonly literal: StringLiteral;
  /** `test` for `type=="…"` in a condition, `action` for `type="…"` in an action. */
  readonly where: "test" | "action";
  /** The action verb when `where` is `action`. */
  readonly verb: string | undefined;
}

/** All the names of a policy. */
export interface SymbolIndex {
  readonly identifiers: readonly IdentifierSymbol[];
  readonly claimTypes: readonly ClaimTypeMention[];
  /** The identifier symbol whose binding or one of whose uses covers `offset`. */
  identifierAt(offset: number): { symbol: IdentifierSymbol; node: Identifier } | undefined;
  /** The claim type mention whose literal covers `offset`. */
  claimTypeAt(offset: number): ClaimTypeMention | undefined;
}

function touches(r: TextRange, offset: number): boolean {
  return r.start <= offset && offset <= r.end;
}

/** Builds the index of a policy file. */
export function buildSymbolIndex(file: PolicyFile): SymbolIndex {
  const identifiers: IdentifierSymbol[] = [];
  const claimTypes: ClaimTypeMention[] = [];
  for (const section of file.sections) {
    for (const rule of section.rules) {
      if (rule.kind !== "Rule") continue;
      const byName = new Map<string, { binding: IdentifierSymbol["binding"]; rebindings: Identifier[]; uses: Identifier[] }>();
      const entry = (name: string) => {
        let e = byName.get(name);
        if (!e) {
          e = { binding: undefined, rebindings: [], uses: [] };
          byName.set(name, e);
        }
        return e;
      };
      for (const cond of rule.conditions) {
        if (cond.binding) {
          const e = entry(cond.binding.name);
          if (e.binding) e.rebindings.push(cond.binding);
          else e.binding = { identifier: cond.binding, condition: cond };
        }
      }
      walk(rule, (node) => {
        if (node.kind === "ValueRef") {
          entry(node.identifier.name).uses.push(node.identifier);
          return false;
        }
        if (node.kind === "Argument" && node.value.kind === "Identifier") {
          entry(node.value.name).uses.push(node.value);
        }
        if (node.kind === "Test" && node.property === "type" && node.operand.kind === "StringLiteral") {
          claimTypes.push({ type: node.operand.value, literal: node.operand, where: "test", verb: undefined });
        }
        return undefined;
      });
      if (rule.action.kind === "Action") {
        for (const arg of rule.action.args) {
          if (arg.name === "type" && arg.value.kind === "StringLiteral") {
            claimTypes.push({ type: arg.value.value, literal: arg.value, where: "action", verb: rule.action.verb ?? rule.action.verbText });
          }
        }
      }
      for (const [name, e] of byName) identifiers.push({ name, rule, binding: e.binding, rebindings: e.rebindings, uses: e.uses });
    }
  }
  claimTypes.sort((a, b) => a.literal.range.start - b.literal.range.start);
  return {
    identifiers,
    claimTypes,
    identifierAt(offset) {
      for (const symbol of identifiers) {
        if (!touches(symbol.rule.range, offset)) continue;
        const all = [...(symbol.binding ? [symbol.binding.identifier] : []), ...symbol.rebindings, ...symbol.uses];
        for (const node of all) if (touches(node.range, offset)) return { symbol, node };
      }
      return undefined;
    },
    claimTypeAt(offset) {
      return claimTypes.find((m) => touches(m.literal.range, offset));
    },
  };
}

/** Every occurrence of an identifier symbol (binding first), in source order. */
export function occurrencesOf(symbol: IdentifierSymbol): Identifier[] {
  const all = [...(symbol.binding ? [symbol.binding.identifier] : []), ...symbol.rebindings, ...symbol.uses];
  return all.sort((a, b) => a.range.start - b.range.start);
}
