/**
 * Analysis off the main thread. The worker holds the documents' analyses and answers the
 * analysis features and diagnostics, so that the main thread stays free for requests (completion
 * above all) while a large file is re-analysed.
 *
 * The main thread sends a document's text and settings only when the worker lacks that version.
 * Stale work is dropped: queued diagnostics runs of a document collapse to its newest version,
 * and a request for an older version than the worker holds is answered "superseded".
 */
import { Worker, parentPort, type MessagePort } from "node:worker_threads";
import * as lsp from "vscode-languageserver";
import type { IncrementalCheck } from "@maa-policy/core";
import { analyze, type Analysis } from "./analysis.js";
import { ANALYSIS_FEATURES, runFeature, type AnalysisFeature, type FeatureResult } from "./analysis-features.js";
import { toDiagnostic } from "./convert/to-lsp.js";
import type { ServerSettings } from "./settings.js";

/** A message to the worker. */
type WorkerRequest =
  | {
      readonly id: number;
      readonly kind: "diagnostics" | "feature";
      readonly uri: string;
      readonly version: number;
      /** Present when the worker may not have this version yet. */
      readonly doc?: { readonly text: string; readonly settings: ServerSettings };
      readonly feature?: AnalysisFeature;
      readonly params?: unknown;
    }
  | { readonly id: number; readonly kind: "close"; readonly uri: string };

/** The worker's answer. */
type WorkerResponse =
  | { readonly id: number; readonly kind: "diagnostics"; readonly diagnostics: lsp.Diagnostic[]; readonly attestationType: string | undefined }
  | { readonly id: number; readonly kind: "result"; readonly result: unknown }
  | { readonly id: number; readonly kind: "superseded" }
  | { readonly id: number; readonly kind: "missing" }
  | { readonly id: number; readonly kind: "error"; readonly code: number; readonly message: string }
  | { readonly id: number; readonly kind: "crash"; readonly message: string };

/** The diagnostics of one version of a document, from the worker. */
export interface WorkerDiagnostics {
  readonly version: number;
  readonly diagnostics: lsp.Diagnostic[];
  readonly attestationType: string | undefined;
}

/** What the worker can say about a feature request. */
export type WorkerFeatureOutcome<T> = { readonly kind: "result"; readonly result: T } | { readonly kind: "superseded" };

/** Runs the worker side: call from the worker thread's entry point. */
export function runAnalysisWorker(port: MessagePort | null = parentPort): void {
  if (!port) throw new TypeError("runAnalysisWorker must run in a worker thread");
  const docs = new Map<string, { version: number; text: string; settings: ServerSettings; analysis: Analysis | undefined; base: IncrementalCheck | undefined }>();
  const pending = new Map<string, { id: number; version: number }>();
  let scheduled = false;
  const post = (r: WorkerResponse): void => port.postMessage(r);

  /** The analysis of `version`, or why there is none. */
  const analysisOf = (uri: string, version: number): Analysis | "superseded" | "missing" => {
    const d = docs.get(uri);
    if (!d || d.version < version) return "missing";
    if (d.version > version) return "superseded";
    d.analysis ??= analyze(uri, d.version, d.text, d.settings, d.base);
    d.base = undefined;
    return d.analysis;
  };

  const drain = (): void => {
    scheduled = false;
    const batch = [...pending.entries()];
    pending.clear();
    for (const [uri, req] of batch) {
      try {
        const a = analysisOf(uri, req.version);
        if (typeof a === "string") post({ id: req.id, kind: a });
        else post({ id: req.id, kind: "diagnostics", diagnostics: a.diagnostics.map((d) => toDiagnostic(a.lineIndex, uri, d)), attestationType: a.attestationType });
      } catch (e) {
        post({ id: req.id, kind: "crash", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
    }
  };

  port.on("message", (req: WorkerRequest) => {
    if (req.kind === "close") {
      docs.delete(req.uri);
      return;
    }
    if (req.doc) {
      const d = docs.get(req.uri);
      // The newest analysis known is the base the new version is re-parsed from.
      const base = d?.analysis?.incremental ?? d?.base;
      if (!d || d.version <= req.version) docs.set(req.uri, { version: req.version, text: req.doc.text, settings: req.doc.settings, analysis: undefined, base });
    }
    if (req.kind === "diagnostics") {
      const older = pending.get(req.uri);
      if (older) post({ id: older.id, kind: "superseded" });
      pending.set(req.uri, { id: req.id, version: req.version });
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
      return;
    }
    void (async () => {
      try {
        const a = analysisOf(req.uri, req.version);
        if (typeof a === "string") return post({ id: req.id, kind: a });
        const feature = req.feature as AnalysisFeature;
        if (!Object.prototype.hasOwnProperty.call(ANALYSIS_FEATURES, feature)) throw new TypeError(`unknown feature ${String(feature)}`);
        post({ id: req.id, kind: "result", result: await runFeature(feature, a, req.params) });
      } catch (e) {
        if (e instanceof lsp.ResponseError) post({ id: req.id, kind: "error", code: e.code, message: e.message });
        else post({ id: req.id, kind: "crash", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
    })();
  });
}

/** The server side of the analysis worker. */
export class AnalysisWorkerClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, (r: WorkerResponse | undefined) => void>();
  /** The version and settings of each document the worker has. */
  private readonly sent = new Map<string, { version: number; settings: ServerSettings }>();
  private dead = false;

  constructor(
    script: URL,
    private readonly log: (message: string) => void,
  ) {
    this.worker = new Worker(script, { stdout: true, stderr: false });
    this.worker.unref();
    this.worker.on("message", (r: WorkerResponse) => {
      const resolve = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      resolve?.(r);
    });
    this.worker.on("error", (e) => {
      this.log(`analysis worker failed: ${e.stack ?? e.message}`);
      this.fail();
    });
    this.worker.on("exit", () => this.fail());
  }

  /** Whether the worker can still take work. */
  get alive(): boolean {
    return !this.dead;
  }

  private fail(): void {
    this.dead = true;
    for (const resolve of this.waiting.values()) resolve(undefined);
    this.waiting.clear();
  }

  private send(req: Omit<Extract<WorkerRequest, { kind: "diagnostics" | "feature" }>, "id" | "doc">, text: () => string, settings: ServerSettings): Promise<WorkerResponse | undefined> {
    if (this.dead) return Promise.resolve(undefined);
    const id = this.nextId++;
    const known = this.sent.get(req.uri);
    const needsDoc = !known || known.version !== req.version || known.settings !== settings;
    const message: WorkerRequest = needsDoc ? { ...req, id, doc: { text: text(), settings } } : { ...req, id };
    if (needsDoc) this.sent.set(req.uri, { version: req.version, settings });
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.postMessage(message);
    });
  }

  private async exchange(
    req: Omit<Extract<WorkerRequest, { kind: "diagnostics" | "feature" }>, "id" | "doc">,
    text: () => string,
    settings: ServerSettings,
  ): Promise<WorkerResponse | undefined> {
    let r = await this.send(req, text, settings);
    if (r?.kind === "missing") {
      // The worker lost the text (restarted, or the request raced a newer one): send it again.
      this.sent.delete(req.uri);
      r = await this.send(req, text, settings);
    }
    if (r?.kind === "crash") this.log(`analysis worker: ${req.kind} ${req.feature ?? ""}: ${r.message}`);
    return r;
  }

  /** The diagnostics of a document version; undefined when superseded or on failure. */
  async diagnostics(uri: string, version: number, text: () => string, settings: ServerSettings): Promise<WorkerDiagnostics | undefined> {
    const r = await this.exchange({ kind: "diagnostics", uri, version }, text, settings);
    return r?.kind === "diagnostics" ? { version, diagnostics: r.diagnostics, attestationType: r.attestationType } : undefined;
  }

  /**
   * Runs an analysis feature on a document version. Throws a `ResponseError` the feature raised;
   * throws an `Error` when the feature crashed or the worker failed.
   */
  async feature<F extends AnalysisFeature>(uri: string, version: number, text: () => string, settings: ServerSettings, feature: F, params: unknown): Promise<WorkerFeatureOutcome<FeatureResult<F>>> {
    const r = await this.exchange({ kind: "feature", uri, version, feature, params }, text, settings);
    if (!r) throw new Error("the analysis worker stopped");
    switch (r.kind) {
      case "result":
        return { kind: "result", result: r.result as FeatureResult<F> };
      case "error":
        throw new lsp.ResponseError(r.code, r.message);
      case "crash":
        throw new Error(r.message);
      default:
        return { kind: "superseded" };
    }
  }

  /** Forgets a closed document. */
  close(uri: string): void {
    this.sent.delete(uri);
    if (!this.dead) this.worker.postMessage({ id: 0, kind: "close", uri } satisfies WorkerRequest);
  }

  /** Stops the worker. */
  async terminate(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
  }
}
