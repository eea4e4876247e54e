/**
 * The playground page: a Monaco editor whose language features are the language server's (in the
 * analysis worker, through monaco-adapter.ts), an input pane (claims or real evidence), results
 * (decision, claims, properties, token, trace), pack, hash, format, examples and share links.
 */
import * as monaco from "virtual:monaco";
import "./style.css";
import { toCodeActions, toCompletions, toEdit, toHover, toMarker, toSignatureHelp } from "./monaco-adapter.js";
import type { EvalInput, EvalOutcome, SyntaxLists } from "./protocol.js";
import { decodeState, encodeState, fromBase64Url, toBase64Url } from "./share.js";
import { esc } from "./html.js";
import { renderTrace } from "./trace-view.js";
import { AnalysisClient, blobWorker } from "./worker-client.js";

(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = { getWorker: () => blobWorker(__EDITOR_WORKER__) };

const LANGUAGE = "maa-policy";
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const client = new AnalysisClient();

/** Monarch highlighting built from policy-core's keyword lists (sent by the worker). */
function monarch(s: SyntaxLists): monaco.languages.IMonarchLanguage {
  return {
    ignoreCase: true,
    sections: s.sections,
    actions: s.actions,
    properties: s.properties,
    functions: s.functions,
    keywords: s.keywords,
    tokenizer: {
      root: [
        [/\/\/.*$/, "comment"],
        [/\/\*/, "comment", "@comment"],
        [/"([^"\\]|\\.)*"/, "string"],
        [/"([^"\\]|\\.)*$/, "string.invalid"],
        [/\b\d+(\.\d+)?\b/, "number"],
        [/[A-Za-z][A-Za-z0-9_]*/, { cases: { "@sections": "keyword.section", "@actions": "keyword.action", "@functions": "predefined", "@properties": "attribute.name", "@keywords": "keyword", "@default": "identifier" } }],
        [/=>|==|!=|<=|>=|&&|\|\||[<>=!]/, "operator"],
        [/[{}()[\]]/, "@brackets"],
      ],
      comment: [
        [/[^/*]+/, "comment"],
        [/\*\//, "comment", "@pop"],
        [/[/*]/, "comment"],
      ],
    },
  };
}

const offsetAt = (model: monaco.editor.ITextModel, p: monaco.IPosition) => model.getOffsetAt(p);

async function start(): Promise<void> {
  const syntax = await client.request("init", {});
  monaco.languages.register({ id: LANGUAGE, extensions: [".policy"] });
  monaco.languages.setMonarchTokensProvider(LANGUAGE, monarch(syntax));
  monaco.languages.setLanguageConfiguration(LANGUAGE, {
    comments: { lineComment: "//", blockComment: ["/*", "*/"] },
    brackets: [["{", "}"], ["[", "]"], ["(", ")"]],
    autoClosingPairs: [{ open: "{", close: "}" }, { open: "[", close: "]" }, { open: "(", close: ")" }, { open: '"', close: '"' }],
  });

  const model = monaco.editor.createModel(__EXAMPLES__["sgx.policy"] ?? "", LANGUAGE, monaco.Uri.parse("inmemory://playground/policy.maa"));
  const editor = monaco.editor.create($("editor"), {
    model,
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 13,
    tabSize: 4,
    fixedOverflowWidgets: true,
    ariaLabel: "Policy editor",
  });
  (window as unknown as { playground: unknown }).playground = { monaco, editor, model, client };

  // Diagnostics on every keystroke: the worker analyses the latest text; stale answers are dropped.
  let latest = 0;
  const analyse = async () => {
    const version = model.getVersionId();
    latest = version;
    const diags = await client.request("update", { text: model.getValue(), version, attestationType: attestationType() });
    if (version !== latest || model.isDisposed()) return;
    monaco.editor.setModelMarkers(model, "maa-policy", diags.map(toMarker));
    document.body.dataset["analysedVersion"] = String(version);
    scheduleEvaluate();
  };
  model.onDidChangeContent(() => void analyse());

  monaco.languages.registerCompletionItemProvider(LANGUAGE, {
    triggerCharacters: ['"', "(", ".", "=", " "],
    provideCompletionItems: async (m, position) => toCompletions(await client.request("completion", { offset: offsetAt(m, position) }), m, position),
  });
  monaco.languages.registerHoverProvider(LANGUAGE, {
    provideHover: async (m, position) => toHover(await client.request("hover", { offset: offsetAt(m, position) })),
  });
  monaco.languages.registerSignatureHelpProvider(LANGUAGE, {
    signatureHelpTriggerCharacters: ["(", ","],
    provideSignatureHelp: async (m, position) => toSignatureHelp(await client.request("signatureHelp", { offset: offsetAt(m, position) })),
  });
  monaco.languages.registerCodeActionProvider(LANGUAGE, {
    provideCodeActions: async (m, range) => {
      const start = m.getOffsetAt({ lineNumber: range.startLineNumber, column: range.startColumn });
      const end = m.getOffsetAt({ lineNumber: range.endLineNumber, column: range.endColumn });
      return toCodeActions(await client.request("codeActions", { start, end }), m);
    },
  });
  monaco.languages.registerDocumentFormattingEditProvider(LANGUAGE, {
    provideDocumentFormattingEdits: async (_m, options) => (await client.request("format", { tabSize: options.tabSize })).map(toEdit),
  });

  // Examples.
  const examples = $<HTMLSelectElement>("example");
  for (const name of Object.keys(__EXAMPLES__).filter((n) => n.endsWith(".policy"))) examples.add(new Option(name, name));
  examples.onchange = () => {
    const name = examples.value;
    model.setValue(__EXAMPLES__[name] ?? "");
    const claims = __EXAMPLES__[name.replace(/\.policy$/, ".claims.json")];
    if (claims !== undefined) {
      setMode("claims");
      $<HTMLTextAreaElement>("claims").value = claims;
    }
    scheduleEvaluate();
  };
  $<HTMLTextAreaElement>("claims").value = __EXAMPLES__["sgx.claims.json"] ?? "";

  // Input pane.
  let evidenceBytes: Uint8Array | undefined;
  let runtimeBytes: Uint8Array | undefined;
  const mode = () => ($<HTMLInputElement>("mode-evidence").checked ? "evidence" : "claims");
  function setMode(m: "claims" | "evidence") {
    $<HTMLInputElement>(`mode-${m}`).checked = true;
    $("claims-pane").hidden = m !== "claims";
    $("evidence-pane").hidden = m !== "evidence";
  }
  $("mode-claims").onchange = () => (setMode("claims"), scheduleEvaluate());
  $("mode-evidence").onchange = () => (setMode("evidence"), scheduleEvaluate());
  function attestationType(): string | undefined {
    const v = $<HTMLSelectElement>("type").value;
    return v === "" ? undefined : v;
  }
  const fileLabel = (id: string, f: File | undefined, n: number) => ($(id).textContent = f ? `${f.name} (${n} bytes)` : "");
  async function takeFile(kind: "evidence" | "runtime", f: File) {
    const bytes = new Uint8Array(await f.arrayBuffer());
    if (kind === "evidence") {
      evidenceBytes = bytes;
      $<HTMLTextAreaElement>("evidence-text").value = "";
    } else runtimeBytes = bytes;
    fileLabel(`${kind}-file-name`, f, bytes.length);
    setMode("evidence");
    scheduleEvaluate();
  }
  for (const kind of ["evidence", "runtime"] as const) {
    const zone = $(`${kind}-drop`);
    const picker = $<HTMLInputElement>(`${kind}-file`);
    picker.onchange = () => picker.files?.[0] && void takeFile(kind, picker.files[0]);
    zone.ondragover = (e) => (e.preventDefault(), zone.classList.add("over"));
    zone.ondragleave = () => zone.classList.remove("over");
    zone.ondrop = (e) => {
      e.preventDefault();
      zone.classList.remove("over");
      const f = e.dataTransfer?.files[0];
      if (f) void takeFile(kind, f);
    };
  }
  $<HTMLTextAreaElement>("evidence-text").oninput = () => {
    evidenceBytes = undefined;
    fileLabel("evidence-file-name", undefined, 0);
    scheduleEvaluate();
  };
  for (const id of ["claims", "type", "runtime-type", "at", "collateral", "runtime-text"]) $(id).addEventListener("input", () => scheduleEvaluate());

  function evalInput(): EvalInput | { error: string } {
    if (mode() === "claims") return { kind: "claims", text: $<HTMLTextAreaElement>("claims").value };
    const text = $<HTMLTextAreaElement>("evidence-text").value.trim();
    const evidence = evidenceBytes ?? (text === "" ? undefined : text);
    if (evidence === undefined) return { error: "drop or paste a quote or report, or choose a file" };
    const rtText = $<HTMLTextAreaElement>("runtime-text").value;
    const runtimeData = runtimeBytes ?? (rtText.trim() === "" ? undefined : new TextEncoder().encode(rtText));
    const collateral = $<HTMLTextAreaElement>("collateral").value.trim();
    const at = $<HTMLInputElement>("at").value.trim();
    const rtType = $<HTMLSelectElement>("runtime-type").value;
    return { kind: "evidence", evidence, type: attestationType(), runtimeData, runtimeDataType: rtType === "" ? undefined : rtType, collateral: collateral === "" ? undefined : collateral, at: at === "" ? undefined : at };
  }

  // Results.
  let outcome: EvalOutcome | undefined;
  let evalTimer: ReturnType<typeof setTimeout> | undefined;
  let evalSeq = 0;
  function scheduleEvaluate() {
    clearTimeout(evalTimer);
    evalTimer = setTimeout(() => void runEvaluate(), 150);
  }
  async function runEvaluate() {
    const seq = ++evalSeq;
    const input = evalInput();
    const result: EvalOutcome =
      "error" in input
        ? { decision: "error", incoming: [], outgoing: [], properties: [], token: {}, trace: [], diagnostics: [], attestationToken: null, error: input.error }
        : await client.request("evaluate", { input }).catch((e: Error) => ({ decision: "error" as const, incoming: [], outgoing: [], properties: [], token: {}, trace: [], diagnostics: [], attestationToken: null, error: e.message }));
    if (seq !== evalSeq) return;
    outcome = result;
    render(result);
  }
  $("evaluate").onclick = () => void runEvaluate();

  const claimRows = (claims: readonly { type: string; value: unknown }[]) =>
    claims.length === 0 ? "<p class=none>none</p>" : `<table><thead><tr><th>type</th><th>value</th></tr></thead><tbody>${claims.map((c) => `<tr><td>${esc(c.type)}</td><td><code>${esc(JSON.stringify(c.value))}</code></td></tr>`).join("")}</tbody></table>`;
  function render(r: EvalOutcome) {
    const d = $("decision");
    d.textContent = r.decision;
    d.className = `decision ${r.decision}`;
    $("error").textContent = r.error ?? "";
    $("evidence-result").innerHTML = r.evidence
      ? `<p>${esc(r.evidence.type)} evidence <strong>${r.evidence.verified ? "verified" : "refused"}</strong></p><ul>${r.evidence.checks.map((c) => `<li class="${esc(c.status)}">${esc(c.title)}: ${esc(c.status)}${c.detail ? ` (${esc(c.detail)})` : ""}</li>`).join("")}${r.evidence.diagnostics.map((x) => `<li class=failed>${esc(x.code)} ${esc(x.message)}</li>`).join("")}</ul>`
      : "";
    $("issued").innerHTML = claimRows(r.outgoing);
    $("properties").innerHTML = claimRows(r.properties);
    $("token").textContent = JSON.stringify(r.attestationToken ?? r.token, null, 2);
    renderTrace($("trace"), r.trace, {
      onSelect: (i) => {
        const off = (r.trace[i]?.["range"] as { offsets: { start: number; end: number } }).offsets;
        const s = model.getPositionAt(off.start);
        const en = model.getPositionAt(off.end);
        editor.setSelection({ startLineNumber: s.lineNumber, startColumn: s.column, endLineNumber: en.lineNumber, endColumn: en.column });
        editor.revealRangeInCenter({ startLineNumber: s.lineNumber, startColumn: s.column, endLineNumber: en.lineNumber, endColumn: en.column });
        editor.focus();
      },
    });
    highlightTrace();
    document.body.dataset["evaluated"] = String(evalSeq);
  }
  function highlightTrace() {
    if (!outcome) return;
    const pos = editor.getPosition();
    const off = pos ? model.getOffsetAt(pos) : -1;
    outcome.trace.forEach((e, i) => {
      const r = (e["range"] as { offsets: { start: number; end: number } }).offsets;
      const b = $("trace").querySelector<HTMLElement>(`button[data-index="${i}"]`);
      b?.classList.toggle("current", r.start <= off && off <= r.end);
    });
  }
  editor.onDidChangeCursorPosition(highlightTrace);

  // Toolbar.
  $("format").onclick = () => void editor.getAction("editor.action.formatDocument")?.run();
  $("pack").onclick = async () => {
    const r = await client.request("pack", {});
    $("packed").textContent = "error" in r ? r.error : r.token;
    $("hash").textContent = "error" in r ? "" : r.hash;
    $("pack-out").hidden = false;
  };
  $("share").onclick = async () => {
    const input = mode() === "claims"
      ? { kind: "claims", text: $<HTMLTextAreaElement>("claims").value }
      : {
          kind: "evidence",
          evidence: evidenceBytes ? { base64url: toBase64Url(evidenceBytes) } : $<HTMLTextAreaElement>("evidence-text").value,
          runtime: runtimeBytes ? { base64url: toBase64Url(runtimeBytes) } : $<HTMLTextAreaElement>("runtime-text").value,
          runtimeType: $<HTMLSelectElement>("runtime-type").value,
          at: $<HTMLInputElement>("at").value,
          collateral: $<HTMLTextAreaElement>("collateral").value,
        };
    const fragment = await encodeState({ v: 1, policy: model.getValue(), type: $<HTMLSelectElement>("type").value, input });
    const url = `${location.href.split("#")[0]}#s=${fragment}`;
    history.replaceState(null, "", url);
    const out = $<HTMLInputElement>("share-url");
    out.value = url;
    $("share-out").hidden = false;
    out.select();
  };

  async function restore(fragment: string) {
    try {
      const s = (await decodeState(fragment)) as {
        policy?: unknown;
        type?: unknown;
        input?: { kind?: unknown; text?: unknown; evidence?: unknown; runtime?: unknown; runtimeType?: unknown; at?: unknown; collateral?: unknown };
      };
      if (typeof s.policy !== "string") throw new Error("the link's state has no policy");
      model.setValue(s.policy);
      if (typeof s.type === "string") $<HTMLSelectElement>("type").value = s.type;
      const i = s.input ?? {};
      const bytesOrText = (v: unknown): [Uint8Array | undefined, string] =>
        typeof v === "object" && v !== null && typeof (v as { base64url?: unknown }).base64url === "string" ? [fromBase64Url((v as { base64url: string }).base64url), ""] : [undefined, typeof v === "string" ? v : ""];
      if (i.kind === "evidence") {
        setMode("evidence");
        [evidenceBytes, $<HTMLTextAreaElement>("evidence-text").value] = bytesOrText(i.evidence);
        [runtimeBytes, $<HTMLTextAreaElement>("runtime-text").value] = bytesOrText(i.runtime);
        if (evidenceBytes) $("evidence-file-name").textContent = `shared evidence (${evidenceBytes.length} bytes)`;
        if (runtimeBytes) $("runtime-file-name").textContent = `shared runtime data (${runtimeBytes.length} bytes)`;
        $<HTMLSelectElement>("runtime-type").value = typeof i.runtimeType === "string" ? i.runtimeType : "";
        $<HTMLInputElement>("at").value = typeof i.at === "string" ? i.at : "";
        $<HTMLTextAreaElement>("collateral").value = typeof i.collateral === "string" ? i.collateral : "";
      } else {
        setMode("claims");
        $<HTMLTextAreaElement>("claims").value = typeof i.text === "string" ? i.text : "";
      }
    } catch (e) {
      $("error").textContent = e instanceof Error ? e.message : String(e);
    }
  }
  if (location.hash.startsWith("#s=")) await restore(location.hash);
  else {
    const m = /^#policy=(.+)$/.exec(location.hash);
    if (m) {
      // "open in playground" from the console: the policy text, base64url (UTF-8).
      try {
        model.setValue(new TextDecoder().decode(fromBase64Url(m[1]!)));
      } catch {
        $("error").textContent = "the link's policy is damaged";
      }
    }
  }
  await analyse();
  await runEvaluate();
  document.body.dataset["ready"] = "true";
}

void start();
