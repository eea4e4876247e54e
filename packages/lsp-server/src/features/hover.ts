/**
 * Hover: claim types (description, value type, attestation types, deprecation), functions
 * (signature and description), keywords and actions (what they do, where they are allowed),
 * identifiers (the condition that binds them) and JMESPath query strings.
 */
import {
  FUNCTION_SIGNATURES,
  findClaim,
  findConfigProperty,
  printCondition,
  type FunctionName,
  type StringLiteral,
  type TextRange,
} from "@maa-policy/core";
import * as lsp from "vscode-languageserver";
import type { Analysis } from "../analysis.js";
import { toRange } from "../convert/to-lsp.js";
import { ACTION_DOCS, ACTION_SECTIONS, ISSUERS, KEYWORD_DOCS, SECTION_DOCS } from "../language-docs.js";
import { nodeContextAt, within } from "./node-at.js";
import { formatJmesPath } from "./jmespath-text.js";

function md(range: TextRange, a: Analysis, value: string): lsp.Hover {
  return { contents: { kind: lsp.MarkupKind.Markdown, value }, range: toRange(a.lineIndex, range) };
}

/** Markdown describing a claim type from the catalogue, or undefined when it is not catalogued. */
export function claimMarkdown(type: string): string | undefined {
  const c = findClaim(type);
  if (!c) return undefined;
  const lines = [`**claim** \`${c.type}\`: ${c.valueType}`, "", c.description, "", `Attestation types: ${c.attestationTypes.join(", ")}.`];
  if (c.deprecated) lines.push("", `**Deprecated**${c.deprecated.replacement ? `: use \`${c.deprecated.replacement}\`` : ""}.`);
  if (c.readOnly) lines.push("", "Read-only: values derived from it may be tested and added, never issued.");
  return lines.join("\n");
}

/** Markdown describing a claim function. */
export function functionMarkdown(name: FunctionName): string {
  const sig = FUNCTION_SIGNATURES[name];
  const head = `${name}(${sig.params.map((p) => `${p.name}: ${p.type}`).join(", ")}): ${sig.returns}`;
  const params = sig.params.map((p) => `- \`${p.name}\`: ${p.description}`).join("\n");
  return ["```maa-policy", head, "```", "", sig.description, "", params, "", `Since version ${sig.minVersion}.`].join("\n");
}

function isFunctionName(name: string): name is FunctionName {
  return Object.prototype.hasOwnProperty.call(FUNCTION_SIGNATURES, name);
}

/** The hover at `offset`, or null. */
export function hover(a: Analysis, offset: number): lsp.Hover | null {
  const ctx = nodeContextAt(a, offset);
  const sym = a.symbols().identifierAt(offset);
  if (sym) {
    const b = sym.symbol.binding;
    const body = b
      ? [`**identifier** \`${sym.symbol.name}\`: the claims matched by`, "", "```maa-policy", `${printCondition(b.condition)}`, "```"].join("\n")
      : `**identifier** \`${sym.symbol.name}\` is not bound in this rule`;
    return md(sym.node.range, a, body);
  }
  // Walk from the innermost node outwards, looking at its named parts.
  for (let i = ctx.path.length - 1; i >= 0; i--) {
    const n = ctx.path[i];
    if (!n) continue;
    switch (n.kind) {
      case "VersionDecl":
        return md(n.range, a, KEYWORD_DOCS["version"] ?? "");
      case "Section":
        if (within(n.nameRange, offset) && n.name) return md(n.nameRange, a, `**section** \`${n.name}\`\n\n${SECTION_DOCS[n.name]}`);
        break;
      case "Action":
        if (within(n.verbRange, offset) && n.verb) {
          const where = ACTION_SECTIONS[n.verb].map((s) => `\`${s}\``).join(", ");
          return md(n.verbRange, a, `**action** \`${n.verb}\`\n\n${ACTION_DOCS[n.verb]}\n\nAllowed in ${where}.`);
        }
        break;
      case "Argument":
        if (within(n.nameRange, offset) && n.name) return md(n.nameRange, a, `**argument** \`${n.name}\`\n\n${KEYWORD_DOCS[n.name] ?? ""}`);
        if (n.value.kind === "StringLiteral" && within(n.value.range, offset)) {
          const s = stringHover(a, n.value, n.name, ctx.rule?.action.kind === "Action" ? ctx.rule.action.verb : undefined);
          if (s) return s;
        }
        break;
      case "Test":
        if (within(n.propertyRange, offset) && n.property) return md(n.propertyRange, a, `**property** \`${n.property}\`\n\n${KEYWORD_DOCS[n.property] ?? ""}`);
        if (n.operand.kind === "StringLiteral" && within(n.operand.range, offset)) {
          const s = stringHover(a, n.operand, n.property, undefined);
          if (s) return s;
        }
        break;
      case "Call": {
        if (within(n.calleeRange, offset) && isFunctionName(n.callee)) return md(n.calleeRange, a, functionMarkdown(n.callee));
        if (n.callee === "JmesPath") {
          const q = n.args[1];
          if (q && q.kind === "StringLiteral" && within(q.range, offset)) return md(q.range, a, jmesPathHover(q.value));
        }
        break;
      }
      case "BooleanLiteral":
        return md(n.range, a, KEYWORD_DOCS[n.value ? "true" : "false"] ?? "");
      case "ValueRef":
        if (within(n.propertyRange, offset)) return md(n.propertyRange, a, KEYWORD_DOCS["value"] ?? "");
        break;
      default:
        break;
    }
  }
  return null;
}

function stringHover(a: Analysis, lit: StringLiteral, role: string | undefined, verb: string | undefined): lsp.Hover | null {
  if (role === "type" && verb === "issueproperty") {
    const p = findConfigProperty(lit.value);
    if (p) {
      return md(lit.range, a, `**configuration property** \`${p.name}\`: ${p.valueType}\n\n${p.description}\n\nDefault: \`${String(p.default)}\`. For ${p.attestationTypes.join(", ")}.`);
    }
    return null;
  }
  if (role === "type") {
    const m = claimMarkdown(lit.value);
    return m ? md(lit.range, a, m) : null;
  }
  if (role === "issuer") {
    const iss = ISSUERS.find((i) => i.name === lit.value);
    return iss ? md(lit.range, a, `**issuer** \`${iss.name}\`: ${iss.description}`) : null;
  }
  return null;
}

function jmesPathHover(query: string): string {
  const formatted = formatJmesPath(query);
  if (formatted.ok) return ["**JMESPath query**", "", "```jmespath", formatted.text, "```"].join("\n");
  return ["**JMESPath query** (does not parse)", "", "```jmespath", query, "```", "", formatted.error].join("\n");
}
