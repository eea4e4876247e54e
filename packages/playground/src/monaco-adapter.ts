/**
 * LSP shapes (from the analysis worker) to Monaco's, and Monaco positions to offsets. Conversions
 * only: no knowledge of the policy language.
 */
import type * as lsp from "vscode-languageserver-types";
import * as monaco from "virtual:monaco";

type Model = monaco.editor.ITextModel;

export function toMonacoRange(r: lsp.Range): monaco.IRange {
  return { startLineNumber: r.start.line + 1, startColumn: r.start.character + 1, endLineNumber: r.end.line + 1, endColumn: r.end.character + 1 };
}

export function toLspRange(r: monaco.IRange): lsp.Range {
  return { start: { line: r.startLineNumber - 1, character: r.startColumn - 1 }, end: { line: r.endLineNumber - 1, character: r.endColumn - 1 } };
}

const SEVERITY: Record<number, monaco.MarkerSeverity> = {
  1: monaco.MarkerSeverity.Error,
  2: monaco.MarkerSeverity.Warning,
  3: monaco.MarkerSeverity.Info,
  4: monaco.MarkerSeverity.Hint,
};

export function toMarker(d: lsp.Diagnostic): monaco.editor.IMarkerData {
  const href = d.codeDescription?.href;
  const code = d.code === undefined ? undefined : href ? { value: String(d.code), target: monaco.Uri.parse(href) } : String(d.code);
  return {
    ...toMonacoRange(d.range),
    severity: SEVERITY[d.severity ?? 1] ?? monaco.MarkerSeverity.Error,
    message: d.message,
    ...(code !== undefined ? { code } : {}),
    ...(d.source !== undefined ? { source: d.source } : {}),
    ...(d.tags?.includes(1) ? { tags: [monaco.MarkerTag.Unnecessary] } : {}),
  };
}

/** An LSP marker back from Monaco (for code action requests): same range, code, message. */
export function markerKey(m: { startLineNumber: number; startColumn: number; message: string }): string {
  return `${m.startLineNumber}:${m.startColumn}:${m.message}`;
}

function markdown(v: string | lsp.MarkupContent | lsp.MarkedString | lsp.MarkedString[] | undefined): monaco.IMarkdownString[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v.flatMap((x) => markdown(x));
  if (typeof v === "string") return [{ value: v }];
  if ("kind" in v) return [{ value: v.kind === "markdown" ? v.value : v.value.replace(/[\\`*_{}[\]()#+\-.!]/g, "\\$&") }];
  return [{ value: "```" + v.language + "\n" + v.value + "\n```" }];
}

export function toHover(h: lsp.Hover | null): monaco.languages.Hover | null {
  if (!h) return null;
  return { contents: markdown(h.contents), ...(h.range ? { range: toMonacoRange(h.range) } : {}) };
}

/** LSP CompletionItemKind (1-based, in this order) to Monaco's enum by name. */
const LSP_KINDS = [
  "Text", "Method", "Function", "Constructor", "Field", "Variable", "Class", "Interface", "Module", "Property", "Unit", "Value", "Enum",
  "Keyword", "Snippet", "Color", "File", "Reference", "Folder", "EnumMember", "Constant", "Struct", "Event", "Operator", "TypeParameter",
] as const;

function completionKind(k: number | undefined): monaco.languages.CompletionItemKind {
  const name = k !== undefined ? LSP_KINDS[k - 1] : undefined;
  return name !== undefined ? monaco.languages.CompletionItemKind[name] : monaco.languages.CompletionItemKind.Text;
}

export function toCompletions(list: lsp.CompletionList, model: Model, position: monaco.Position): monaco.languages.CompletionList {
  const word = model.getWordUntilPosition(position);
  const fallback: monaco.IRange = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
  return {
    incomplete: list.isIncomplete,
    suggestions: list.items.map((item) => {
      const edit = item.textEdit;
      const range = edit ? ("range" in edit ? toMonacoRange(edit.range) : { insert: toMonacoRange(edit.insert), replace: toMonacoRange(edit.replace) }) : fallback;
      const doc = markdown(item.documentation)[0];
      return {
        label: item.label,
        kind: completionKind(item.kind),
        insertText: edit ? edit.newText : (item.insertText ?? item.label),
        range,
        ...(item.insertTextFormat === 2 ? { insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet } : {}),
        ...(item.detail !== undefined ? { detail: item.detail } : {}),
        ...(doc !== undefined ? { documentation: doc } : {}),
        ...(item.sortText !== undefined ? { sortText: item.sortText } : {}),
        ...(item.filterText !== undefined ? { filterText: item.filterText } : {}),
        ...(item.additionalTextEdits ? { additionalTextEdits: item.additionalTextEdits.map(toEdit) } : {}),
      };
    }),
  };
}

export function toSignatureHelp(h: lsp.SignatureHelp | null): monaco.languages.SignatureHelpResult | null {
  if (!h) return null;
  return {
    value: {
      activeSignature: h.activeSignature ?? 0,
      activeParameter: h.activeParameter ?? 0,
      signatures: h.signatures.map((s) => ({
        label: s.label,
        ...(s.documentation !== undefined ? { documentation: markdown(s.documentation)[0] ?? "" } : {}),
        parameters: (s.parameters ?? []).map((p) => ({ label: p.label, ...(p.documentation !== undefined ? { documentation: markdown(p.documentation)[0] ?? "" } : {}) })),
      })),
    },
    dispose: () => undefined,
  };
}

export function toEdit(e: lsp.TextEdit): monaco.languages.TextEdit {
  return { range: toMonacoRange(e.range), text: e.newText };
}

export function toCodeActions(actions: readonly lsp.CodeAction[], model: Model): monaco.languages.CodeActionList {
  return {
    actions: actions.map((a) => {
      const edits = Object.values(a.edit?.changes ?? {}).flat();
      return {
        title: a.title,
        ...(a.kind !== undefined ? { kind: a.kind } : {}),
        ...(a.isPreferred !== undefined ? { isPreferred: a.isPreferred } : {}),
        ...(a.diagnostics ? { diagnostics: a.diagnostics.map(toMarker) } : {}),
        edit: { edits: edits.map((e) => ({ resource: model.uri, textEdit: toEdit(e), versionId: model.getVersionId() })) },
      };
    }),
    dispose: () => undefined,
  };
}
