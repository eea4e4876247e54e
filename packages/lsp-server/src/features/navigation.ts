/**
 * Go to definition, references, document highlight and rename for claim identifiers (scoped to
 * their rule), and references and highlights for claim types across the document.
 */
import { KEYWORDS, type Identifier } from "@maa-policy/core";
import * as lsp from "vscode-languageserver";
import type { Analysis } from "../analysis.js";
import { toRange } from "../convert/to-lsp.js";
import { occurrencesOf } from "../symbols.js";

/** The binding of the identifier at `offset`. */
export function definition(a: Analysis, offset: number): lsp.Location[] {
  const hit = a.symbols().identifierAt(offset);
  if (!hit || !hit.symbol.binding) return [];
  return [lsp.Location.create(a.uri, toRange(a.lineIndex, hit.symbol.binding.identifier.range))];
}

/** Every occurrence of the identifier or claim type at `offset`. */
export function references(a: Analysis, offset: number, includeDeclaration: boolean): lsp.Location[] {
  const hit = a.symbols().identifierAt(offset);
  if (hit) {
    const binding = hit.symbol.binding?.identifier;
    return occurrencesOf(hit.symbol)
      .filter((n) => includeDeclaration || n !== binding)
      .map((n) => lsp.Location.create(a.uri, toRange(a.lineIndex, n.range)));
  }
  const claim = a.symbols().claimTypeAt(offset);
  if (claim) {
    return a
      .symbols()
      .claimTypes.filter((m) => m.type === claim.type)
      .map((m) => lsp.Location.create(a.uri, toRange(a.lineIndex, m.literal.range)));
  }
  return [];
}

/** Highlights of the identifier (write for the binding, read for uses) or claim type at `offset`. */
export function documentHighlight(a: Analysis, offset: number): lsp.DocumentHighlight[] {
  const hit = a.symbols().identifierAt(offset);
  if (hit) {
    const binding = hit.symbol.binding?.identifier;
    return occurrencesOf(hit.symbol).map((n) =>
      lsp.DocumentHighlight.create(toRange(a.lineIndex, n.range), n === binding ? lsp.DocumentHighlightKind.Write : lsp.DocumentHighlightKind.Read),
    );
  }
  const claim = a.symbols().claimTypeAt(offset);
  if (claim) {
    return a
      .symbols()
      .claimTypes.filter((m) => m.type === claim.type)
      .map((m) => lsp.DocumentHighlight.create(toRange(a.lineIndex, m.literal.range), m.where === "test" ? lsp.DocumentHighlightKind.Read : lsp.DocumentHighlightKind.Write));
  }
  return [];
}

/** The range and current name of the identifier that would be renamed, or null. */
export function prepareRename(a: Analysis, offset: number): { range: lsp.Range; placeholder: string } | null {
  const hit = a.symbols().identifierAt(offset);
  if (!hit) return null;
  return { range: toRange(a.lineIndex, hit.node.range), placeholder: hit.symbol.name };
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
const RESERVED = new Set<string>(KEYWORDS);

/** Why `newName` cannot replace the identifier at `offset`, or undefined when it can. */
export function renameProblem(a: Analysis, offset: number, newName: string): string | undefined {
  const hit = a.symbols().identifierAt(offset);
  if (!hit) return "only claim identifiers (the `c` of `c:[…]`) can be renamed";
  if (!IDENTIFIER.test(newName)) return `\`${newName}\` is not a valid identifier: use a letter followed by letters, digits or \`_\``;
  if (RESERVED.has(newName)) return `\`${newName}\` is a keyword`;
  if (newName === hit.symbol.name) return undefined;
  const clash = a.symbols().identifiers.find((s) => s.rule === hit.symbol.rule && s.name === newName);
  if (clash) return `\`${newName}\` is already used in this rule`;
  return undefined;
}

/** The edit renaming the identifier at `offset`; throws a `ResponseError` when the name is rejected. */
export function rename(a: Analysis, offset: number, newName: string): lsp.WorkspaceEdit | null {
  const problem = renameProblem(a, offset, newName);
  if (problem !== undefined) throw new lsp.ResponseError(lsp.ErrorCodes.InvalidParams, problem);
  const hit = a.symbols().identifierAt(offset);
  if (!hit) return null;
  const edits = occurrencesOf(hit.symbol).map((n: Identifier) => lsp.TextEdit.replace(toRange(a.lineIndex, n.range), newName));
  return { changes: { [a.uri]: edits } };
}
