/**
 * Completion: section keywords where a section may start, actions (with snippets) allowed in the
 * section, condition properties, comparison operators, claim types from the catalogue for the
 * attestation type in use, issuer values, bound identifiers, claim functions (1.2 only) and
 * configuration property names inside `issueproperty`. Works on broken code, at the end of the
 * file and inside unterminated strings (see `cursor-context.ts`).
 */
import {
  ACTION_NAMES,
  CLAIMS,
  CONFIG_PROPERTIES,
  COMPARISON_OPERATORS,
  FUNCTION_NAMES,
  FUNCTION_SIGNATURES,
  SECTION_NAMES,
  claimsFor,
  findClaim,
  findConfigProperty,
  isAttestationType,
  type ActionName,
  type ClaimInfo,
  type SectionName,
} from "@maa-policy/core";
import * as lsp from "vscode-languageserver";
import { functionsAllowed } from "../analysis.js";
import { toRange, type PositionMap } from "../convert/to-lsp.js";
import { ACTION_DOCS, ACTION_SECTIONS, ISSUERS, KEYWORD_DOCS, SECTION_DOCS, VALUE_TYPES } from "../language-docs.js";
import { cursorContext, type CursorContext } from "./cursor-context.js";

/** What completion needs to know besides the text. */
export interface CompletionInput {
  readonly text: string;
  readonly offset: number;
  readonly positions: PositionMap;
  /** The attestation type from the settings or inferred by the last analysis. */
  readonly attestationType: string | undefined;
  /** Whether the client accepts snippets. */
  readonly snippets: boolean;
}

/** The version written at the top of the policy (`version=1.2;`), found without parsing. */
export function versionOf(text: string): string | undefined {
  const m = /^(?:\s|\/\/[^\r\n]*)*version\s*=\s*(\d+)\.(\d+)/.exec(text.slice(0, 4096));
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/** Completion items at `input.offset`. */
export function completion(input: CompletionInput): lsp.CompletionList {
  const ctx = cursorContext(input.text, input.offset);
  const items = itemsFor(ctx, input);
  return { isIncomplete: false, items };
}

function itemsFor(ctx: CursorContext, input: CompletionInput): lsp.CompletionItem[] {
  const word = toRange(input.positions, { start: ctx.wordStart, end: input.offset });
  const version = versionOf(input.text);
  const fnAllowed = functionsAllowed(version);
  const restOfLine = restOfLineAfter(input.text, input.offset);
  const needsSemicolon = restOfLine.trim() === "" || restOfLine.trim().startsWith("//");
  const out = new Builder(word, input.snippets);
  const place = ctx.place;
  switch (place.kind) {
    case "none":
      return [];
    case "topLevel": {
      if (!place.hasVersion) {
        out.snippet("version", "version=${1|1.2,1.1,1.0|};", "version=1.2;", lsp.CompletionItemKind.Keyword, KEYWORD_DOCS["version"] ?? "", "0");
        out.snippet(
          "policy",
          'version=1.2;\nauthorizationrules\n{\n\t${1:=> permit();}\n};\nissuancerules\n{\n\t$0\n};',
          "version=1.2;\nauthorizationrules\n{\n\t=> permit();\n};\n",
          lsp.CompletionItemKind.Snippet,
          "A minimal policy skeleton.",
          "1",
        );
      }
      const prevIndex = place.previousSection ? SECTION_NAMES.indexOf(place.previousSection) : -1;
      const present = new Set(sectionsIn(input.text));
      for (const [i, name] of SECTION_NAMES.entries()) {
        if (i <= prevIndex || present.has(name)) continue;
        if (name === "configurationrules" && version !== undefined && version < "1.1") continue;
        out.snippet(name, `${name}\n{\n\t$0\n};`, `${name}\n{\n};`, lsp.CompletionItemKind.Module, SECTION_DOCS[name], `2${i}`);
      }
      return out.items;
    }
    case "ruleStart":
      conditionSnippets(out, "");
      actionSnippets(out, ctx.section, ctx.bound, "=> ", needsSemicolon, "5");
      return out.items;
    case "afterCondition":
      out.snippet("&& [type==…]", '&& [type=="$1"]$0', '&& [type==""]', lsp.CompletionItemKind.Operator, "Another condition: all conditions must hold.", "0");
      actionSnippets(out, ctx.section, ctx.bound, "=> ", needsSemicolon, "1");
      return out.items;
    case "action":
      actionSnippets(out, ctx.section, ctx.bound, "", needsSemicolon, "0");
      return out.items;
    case "testProperty":
      out.snippet("type", 'type=="$1"', 'type==""', lsp.CompletionItemKind.Property, KEYWORD_DOCS["type"] ?? "", "0");
      out.snippet("value", "value==$1", "value==", lsp.CompletionItemKind.Property, KEYWORD_DOCS["value"] ?? "", "1");
      out.snippet("issuer", 'issuer=="$1"', 'issuer==""', lsp.CompletionItemKind.Property, KEYWORD_DOCS["issuer"] ?? "", "2");
      return out.items;
    case "operator": {
      const ops = place.property === "value" ? COMPARISON_OPERATORS : (["==", "!="] as const);
      ops.forEach((op, i) => out.plain(op, op, lsp.CompletionItemKind.Operator, operatorDoc(op), `${i}`));
      return out.items;
    }
    case "testOperand":
      if (ctx.call) {
        valueItems(out, ctx, fnAllowed, undefined);
        return out.items;
      }
      if (place.property === "type") claimTypeItems(out, input.attestationType, "quoted");
      else if (place.property === "issuer") issuerItems(out, "quoted");
      else valueItems(out, ctx, fnAllowed, place.conditionClaimType);
      return out.items;
    case "afterTest":
      return [];
    case "actionArgName": {
      if (place.verb === "permit" || place.verb === "deny") return [];
      const used = new Set(place.argsSoFar);
      const args: [string, string, string][] = [
        ["type", 'type="$1"', KEYWORD_DOCS["type"] ?? ""],
        ["value", "value=$1", KEYWORD_DOCS["value"] ?? ""],
        ["claim", "claim=${1:c}", KEYWORD_DOCS["claim"] ?? ""],
        ["valueType", 'valueType="$1"', KEYWORD_DOCS["valueType"] ?? ""],
        ["issuer", 'issuer="$1"', KEYWORD_DOCS["issuer"] ?? ""],
      ];
      args.forEach(([name, snippet, doc], i) => {
        if (used.has(name)) return;
        if (name === "claim" && used.size > 0) return;
        out.snippet(name, snippet, snippet.replace(/\$\{1:([^}]*)\}|\$1/g, "$1"), lsp.CompletionItemKind.Property, doc, `${i}`);
      });
      return out.items;
    }
    case "actionArgValue":
      if (ctx.call) valueItems(out, ctx, fnAllowed, undefined);
      else if (place.arg === "type") {
        if (place.verb === "issueproperty") configPropertyItems(out, "quoted");
        else claimTypeItems(out, input.attestationType, "quoted");
      } else if (place.arg === "issuer") issuerItems(out, "quoted");
      else if (place.arg === "claim") for (const b of ctx.bound) out.plain(b, b, lsp.CompletionItemKind.Variable, `the claims bound to \`${b}\``, "0");
      else if (place.arg === "valueType") VALUE_TYPES.forEach((t, i) => out.plain(t, `"${t}"`, lsp.CompletionItemKind.EnumMember, `value type ${t}`, `${i}`));
      else {
        if (place.verb === "issueproperty" && place.typeArg !== undefined) configValueItems(out, place.typeArg, "quoted");
        valueItems(out, ctx, fnAllowed, undefined);
      }
      return out.items;
    case "member":
      out.plain("value", "value", lsp.CompletionItemKind.Property, `the values of the claims bound to \`${place.identifier}\``, "0");
      return out.items;
    case "string": {
      const end = place.contentEnd;
      const range = toRange(input.positions, { start: place.contentStart, end });
      const inString = new Builder(range, input.snippets);
      const close = place.terminated ? "" : '"';
      if (place.role === "claimType") claimTypeItems(inString, input.attestationType, close);
      else if (place.role === "issuer") issuerItems(inString, close);
      else if (place.role === "configProperty") configPropertyItems(inString, close);
      else if (place.role === "configValue" && place.typeArg !== undefined) configValueItems(inString, place.typeArg, close);
      return inString.items;
    }
  }
}

/** Accumulates items that all replace the same range. */
class Builder {
  readonly items: lsp.CompletionItem[] = [];
  constructor(
    private readonly range: lsp.Range,
    private readonly snippets: boolean,
  ) {}

  plain(label: string, text: string, kind: lsp.CompletionItemKind, doc: string, sort: string, extra: Partial<lsp.CompletionItem> = {}): void {
    this.items.push({
      label,
      kind,
      sortText: sort,
      textEdit: lsp.TextEdit.replace(this.range, text),
      ...(doc ? { documentation: { kind: lsp.MarkupKind.Markdown, value: doc } } : {}),
      ...extra,
    });
  }

  snippet(label: string, snippet: string, plainText: string, kind: lsp.CompletionItemKind, doc: string, sort: string, extra: Partial<lsp.CompletionItem> = {}): void {
    this.items.push({
      label,
      kind,
      sortText: sort,
      insertTextFormat: this.snippets ? lsp.InsertTextFormat.Snippet : lsp.InsertTextFormat.PlainText,
      textEdit: lsp.TextEdit.replace(this.range, this.snippets ? snippet : plainText),
      ...(doc ? { documentation: { kind: lsp.MarkupKind.Markdown, value: doc } } : {}),
      ...extra,
    });
  }
}

function restOfLineAfter(text: string, offset: number): string {
  let end = offset;
  while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  return text.slice(offset, end);
}

function sectionsIn(text: string): SectionName[] {
  const out: SectionName[] = [];
  const re = /(^|[^A-Za-z0-9_])(configurationrules|authorizationrules|issuancerules)(?![A-Za-z0-9_])/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[2] as SectionName);
  return out;
}

function operatorDoc(op: string): string {
  switch (op) {
    case "==":
      return "equal (for `value==c.value`: equal to any value bound to `c`)";
    case "!=":
      return "not equal";
    default:
      return "integer comparison (never true for strings and Booleans)";
  }
}

function conditionSnippets(out: Builder, sort: string): void {
  out.snippet("c:[type==…]", '${1:c}:[type=="$2"]$0', 'c:[type==""]', lsp.CompletionItemKind.Snippet, "A condition that binds the claims it matches to an identifier.", `${sort}0`);
  out.snippet("[type==…]", '[type=="$1"]$0', '[type==""]', lsp.CompletionItemKind.Snippet, "A condition: true when at least one claim passes all its tests.", `${sort}1`);
  out.snippet("![type==…]", '![type=="$1"]$0', '![type==""]', lsp.CompletionItemKind.Snippet, "A negated condition: true when no claim passes its tests.", `${sort}2`);
}

function actionAllowed(section: SectionName | undefined, verb: ActionName): boolean {
  return section === undefined || ACTION_SECTIONS[verb].includes(section);
}

function actionSnippets(out: Builder, section: SectionName | undefined, bound: readonly string[], prefix: string, semicolon: boolean, sort: string): void {
  const end = semicolon ? ";" : "";
  const value = bound.length > 0 ? `\${2:${bound[bound.length - 1]}.value}` : "$2";
  const valuePlain = bound.length > 0 ? `${bound[bound.length - 1]}.value` : "";
  ACTION_NAMES.forEach((verb, i) => {
    if (!actionAllowed(section, verb)) return;
    const doc = `${ACTION_DOCS[verb]}\n\nAllowed in ${ACTION_SECTIONS[verb].map((s) => `\`${s}\``).join(", ")}.`;
    const label = `${prefix}${verb}`;
    if (verb === "permit" || verb === "deny") {
      out.snippet(label, `${prefix}${verb}()${end}$0`, `${prefix}${verb}()${end}`, lsp.CompletionItemKind.Keyword, doc, `${sort}${i}`);
      return;
    }
    out.snippet(
      label,
      `${prefix}${verb}(type="$1", value=${value})${end}$0`,
      `${prefix}${verb}(type="", value=${valuePlain})${end}`,
      lsp.CompletionItemKind.Keyword,
      doc,
      `${sort}${i}`,
      { filterText: label },
    );
    if (verb !== "issueproperty" && bound.length > 0) {
      const b = bound[bound.length - 1] as string;
      out.snippet(`${label}(claim=${b})`, `${prefix}${verb}(claim=\${1:${b}})${end}$0`, `${prefix}${verb}(claim=${b})${end}`, lsp.CompletionItemKind.Keyword, doc, `${sort}${i}b`, {
        filterText: label,
      });
    }
  });
}

function claimDetail(c: ClaimInfo): string {
  return `${c.valueType} · ${c.attestationTypes.length === 7 ? "all attestation types" : c.attestationTypes.join(", ")}`;
}

function claimDoc(c: ClaimInfo): string {
  const lines = [c.description];
  if (c.deprecated) lines.push(`\n**Deprecated**${c.deprecated.replacement ? `: use \`${c.deprecated.replacement}\`` : ""}.`);
  if (c.readOnly) lines.push("\nRead-only: may be tested and added, never issued.");
  return lines.join("\n");
}

/** `quoted`: wrap in quotes; otherwise the text to append after the value (a closing quote or nothing). */
function claimTypeItems(out: Builder, attestationType: string | undefined, mode: "quoted" | string): void {
  const list = attestationType !== undefined && isAttestationType(attestationType) ? claimsFor(attestationType) : CLAIMS;
  list.forEach((c, i) => {
    const text = mode === "quoted" ? `"${c.type}"` : `${c.type}${mode}`;
    out.plain(c.type, text, lsp.CompletionItemKind.Constant, claimDoc(c), `${c.deprecated ? "9" : "0"}${String(i).padStart(4, "0")}`, {
      detail: claimDetail(c),
      filterText: mode === "quoted" ? `"${c.type}"` : c.type,
      ...(c.deprecated ? { tags: [lsp.CompletionItemTag.Deprecated] } : {}),
    });
  });
}

function issuerItems(out: Builder, mode: "quoted" | string): void {
  ISSUERS.forEach((iss, i) => {
    const text = mode === "quoted" ? `"${iss.name}"` : `${iss.name}${mode}`;
    out.plain(iss.name, text, lsp.CompletionItemKind.EnumMember, iss.description, `${i}`, { filterText: mode === "quoted" ? text : iss.name });
  });
}

function configPropertyItems(out: Builder, mode: "quoted" | string): void {
  CONFIG_PROPERTIES.forEach((p, i) => {
    const text = mode === "quoted" ? `"${p.name}"` : `${p.name}${mode}`;
    out.plain(p.name, text, lsp.CompletionItemKind.Property, `${p.description}\n\nDefault: \`${String(p.default)}\`. For ${p.attestationTypes.join(", ")}.`, `${i}`, {
      detail: p.valueType,
      filterText: mode === "quoted" ? text : p.name,
    });
  });
}

function configValueItems(out: Builder, property: string, mode: "quoted" | string): void {
  const p = findConfigProperty(property);
  if (!p) return;
  if (p.allowedValues) {
    p.allowedValues.forEach((v, i) => {
      const text = mode === "quoted" ? `"${v}"` : `${v}${mode}`;
      out.plain(v, text, lsp.CompletionItemKind.EnumMember, `a value of \`${p.name}\``, `0${i}`, { filterText: mode === "quoted" ? text : v });
    });
  } else if (mode === "quoted" && p.valueType === "Boolean") {
    out.plain("true", "true", lsp.CompletionItemKind.Keyword, "", "00");
    out.plain("false", "false", lsp.CompletionItemKind.Keyword, "", "01");
  }
}

function valueItems(out: Builder, ctx: CursorContext, fnAllowed: boolean, conditionClaimType: string | undefined): void {
  const claim = conditionClaimType !== undefined ? findClaim(conditionClaimType) : undefined;
  if (!claim || claim.valueType === "Boolean") {
    out.plain("true", "true", lsp.CompletionItemKind.Keyword, KEYWORD_DOCS["true"] ?? "", "10");
    out.plain("false", "false", lsp.CompletionItemKind.Keyword, KEYWORD_DOCS["false"] ?? "", "11");
  }
  for (const b of ctx.bound) {
    out.plain(`${b}.value`, `${b}.value`, lsp.CompletionItemKind.Variable, `the values of the claims bound to \`${b}\``, "0");
  }
  if (fnAllowed) {
    FUNCTION_NAMES.forEach((name, i) => {
      const sig = FUNCTION_SIGNATURES[name];
      const params = sig.params.map((p, k) => `\${${k + 1}:${p.name}}`).join(", ");
      out.snippet(name, `${name}(${params})`, `${name}()`, lsp.CompletionItemKind.Function, sig.description, `2${i}`, {
        detail: `${name}(${sig.params.map((p) => `${p.name}: ${p.type}`).join(", ")}): ${sig.returns}`,
      });
    });
  }
}
