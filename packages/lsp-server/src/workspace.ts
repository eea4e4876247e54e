/**
 * Open documents (incremental sync), their settings, and their analyses, cached per
 * (uri, version) and dropped on close; debounced push diagnostics and pull diagnostics.
 *
 * Stale work is cancelled: a pending diagnostics run is replaced by the next edit, an analysis is
 * computed only for the document's current version, and a result that arrives for an older
 * version is thrown away. Large documents are analysed in a worker thread so that requests keep
 * being answered meanwhile.
 */
import { dirname } from "node:path";
import { TextDocument } from "vscode-languageserver-textdocument";
import * as lsp from "vscode-languageserver";
import type { IncrementalCheck } from "@maa-policy/core";
import { analyze, type Analysis } from "./analysis.js";
import { runFeature, type AnalysisFeature, type FeatureResult } from "./analysis-features.js";
import { AnalysisWorkerClient } from "./analysis-worker.js";
import { toDiagnostic, type PositionMap } from "./convert/to-lsp.js";
import {
  DEFAULT_SETTINGS,
  SETTINGS_SECTION,
  effectiveSettings,
  findConfigFile,
  nodeFileSystem,
  type ServerSettings,
  type SettingsFileSystem,
} from "./settings.js";
import { uriToPath } from "./uri.js";

/** Tuning of the workspace. */
export interface WorkspaceOptions {
  /** Delay between the last edit and the diagnostics run, for documents under `largeDocument` characters. */
  readonly debounceMs?: number;
  /** Delay for large documents. */
  readonly largeDebounceMs?: number;
  /** Documents at least this long are "large": their diagnostics wait `largeDebounceMs`. */
  readonly largeDocument?: number;
  /**
   * Documents at least this long get their diagnostics from the worker (when there is one), so
   * that the main thread stays free for requests; default: `largeDocument`.
   */
  readonly workerThreshold?: number;
  /** Entry script of the analysis worker; without it everything runs on the main thread. */
  readonly workerScript?: URL | undefined;
  /** File access for configuration files. */
  readonly fileSystem?: SettingsFileSystem;
}

/** What the workspace needs from the client's capabilities. */
export interface ClientFeatures {
  readonly configuration: boolean;
  readonly pullDiagnostics: boolean;
}

/** An LSP text document as a `PositionMap`. */
export function documentPositions(doc: TextDocument): PositionMap {
  return { position: (o) => doc.positionAt(o), offset: (p) => doc.offsetAt(p) };
}

/** Documents, settings and analyses. */
export class Workspace {
  readonly documents = new lsp.TextDocuments(TextDocument);
  private readonly analyses = new Map<string, Analysis>();
  /** The last parse and check of each document, which the next version is re-analysed from (kept across edits). */
  private readonly parses = new Map<string, IncrementalCheck>();
  private readonly settings = new Map<string, Promise<ServerSettings>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly attestationTypes = new Map<string, string>();
  private readonly published = new Map<string, number>();
  private globalSettings: unknown = undefined;
  private worker: AnalysisWorkerClient | undefined;
  private workerStarts = 0;
  private readonly options: Required<Omit<WorkspaceOptions, "workerScript">> & { workerScript: URL | undefined };
  /** Set by the server once the client's capabilities are known. */
  client: ClientFeatures = { configuration: false, pullDiagnostics: false };
  /** Set on shutdown: no more diagnostics runs. */
  private stopped = false;

  constructor(
    private readonly connection: lsp.Connection,
    options: WorkspaceOptions = {},
  ) {
    this.options = {
      debounceMs: options.debounceMs ?? 15,
      largeDebounceMs: options.largeDebounceMs ?? 50,
      largeDocument: options.largeDocument ?? 200_000,
      workerThreshold: options.workerThreshold ?? options.largeDocument ?? 200_000,
      workerScript: options.workerScript,
      fileSystem: options.fileSystem ?? nodeFileSystem,
    };
  }

  /** Starts listening to document notifications. */
  listen(): void {
    this.documents.onDidOpen((e) => this.scheduleDiagnostics(e.document.uri, 0));
    this.documents.onDidChangeContent((e) => {
      this.analyses.delete(e.document.uri);
      this.scheduleDiagnostics(e.document.uri);
    });
    this.documents.onDidClose((e) => this.forget(e.document.uri));
    this.documents.listen(this.connection);
  }

  /** The open document, or undefined. */
  document(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  /** Drops everything known about a closed document and clears its diagnostics. */
  private forget(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    this.analyses.delete(uri);
    this.parses.delete(uri);
    this.settings.delete(uri);
    this.attestationTypes.delete(uri);
    this.worker?.close(uri);
    if (this.published.has(uri) && !this.client.pullDiagnostics) {
      void this.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
    }
    this.published.delete(uri);
  }

  /** Records settings pushed by `workspace/didChangeConfiguration` and re-analyses everything. */
  changeConfiguration(settings: unknown): void {
    if (settings && typeof settings === "object" && SETTINGS_SECTION in settings) {
      this.globalSettings = (settings as Record<string, unknown>)[SETTINGS_SECTION];
    }
    this.settings.clear();
    this.analyses.clear();
    this.refreshAll();
  }

  /** Re-analyses every open document (after a settings or configuration file change). */
  refreshAll(): void {
    this.settings.clear();
    this.analyses.clear();
    if (this.client.pullDiagnostics) {
      this.connection.languages.diagnostics.refresh();
    } else {
      for (const doc of this.documents.all()) this.scheduleDiagnostics(doc.uri, 0);
    }
  }

  /** The effective settings of a document (client configuration, then `maa-policy.config.json`). */
  settingsFor(uri: string): Promise<ServerSettings> {
    let s = this.settings.get(uri);
    if (!s) {
      s = this.loadSettings(uri).catch((e: unknown) => {
        this.connection.console.error(`settings: ${e instanceof Error ? e.message : String(e)}`);
        return DEFAULT_SETTINGS;
      });
      this.settings.set(uri, s);
    }
    return s;
  }

  private async loadSettings(uri: string): Promise<ServerSettings> {
    let section: unknown = this.globalSettings;
    if (this.client.configuration) {
      try {
        section = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION });
      } catch {
        section = this.globalSettings;
      }
    }
    const path = uriToPath(uri);
    const config = path ? await findConfigFile(dirname(path), this.options.fileSystem) : undefined;
    const problems: string[] = [];
    const settings = effectiveSettings(section, config, problems);
    for (const p of problems) this.connection.console.warn(`settings: ${p}`);
    return settings;
  }

  /** The analysis of the document's current version, computed on first use; undefined when the document is not open. */
  async analysisFor(uri: string): Promise<Analysis | undefined> {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const settings = await this.settingsFor(uri);
    const current = this.documents.get(uri);
    if (!current) return undefined;
    const cached = this.analyses.get(uri);
    if (cached && cached.version === current.version && cached.settings === settings) return cached;
    const a = analyze(uri, current.version, current.getText(), settings, this.parses.get(uri));
    this.analyses.set(uri, a);
    this.parses.set(uri, a.incremental);
    if (a.attestationType !== undefined) this.attestationTypes.set(uri, a.attestationType);
    return a;
  }

  /** The attestation type last known for a document (configured or inferred), without analysing. */
  knownAttestationType(uri: string): string | undefined {
    return this.attestationTypes.get(uri);
  }

  /** Whether a document is large enough to be analysed off the main thread. */
  isLarge(doc: TextDocument): boolean {
    return doc.getText().length >= this.options.largeDocument;
  }

  /** The worker, started on first use; undefined when there is none or it keeps failing (then everything runs here). */
  private workerClient(): AnalysisWorkerClient | undefined {
    if (!this.options.workerScript || this.stopped || this.workerStarts > 3) return undefined;
    if (!this.worker || !this.worker.alive) {
      this.workerStarts++;
      if (this.workerStarts > 3) {
        this.connection.console.error("the analysis worker keeps failing: analysing on the main thread from now on");
        return undefined;
      }
      try {
        this.worker = new AnalysisWorkerClient(this.options.workerScript, (m) => this.connection.console.error(m));
      } catch (e) {
        this.connection.console.error(`cannot start the analysis worker: ${e instanceof Error ? e.message : String(e)}`);
        this.workerStarts = 4;
        return undefined;
      }
    }
    return this.worker;
  }

  /**
   * The LSP diagnostics of the document's current version; undefined when the document is
   * closed or changed while they were computed.
   */
  async diagnosticsFor(uri: string): Promise<{ version: number; diagnostics: lsp.Diagnostic[] } | undefined> {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const worker = this.workerFor(doc);
    if (worker) {
      const settings = await this.settingsFor(uri);
      const now = this.documents.get(uri);
      if (!now) return undefined;
      const r = await worker.diagnostics(uri, now.version, () => now.getText(), settings);
      // The worker died under this request: try again (a new worker, or this thread).
      if (!r && !worker.alive && !this.stopped) return this.diagnosticsFor(uri);
      const after = this.documents.get(uri);
      if (!r || !after || after.version !== r.version) return undefined;
      if (r.attestationType !== undefined) this.attestationTypes.set(uri, r.attestationType);
      return { version: r.version, diagnostics: r.diagnostics };
    }
    const a = await this.analysisFor(uri);
    if (!a) return undefined;
    const after = this.documents.get(uri);
    if (!after || after.version !== a.version) return undefined;
    return { version: a.version, diagnostics: a.diagnostics.map((d) => toDiagnostic(a.lineIndex, uri, d)) };
  }

  private workerFor(doc: TextDocument): AnalysisWorkerClient | undefined {
    return doc.getText().length >= this.options.workerThreshold ? this.workerClient() : undefined;
  }

  /**
   * Runs an analysis feature on the document's current version, in the worker when the document
   * is analysed there, else on this thread; undefined when the document is not open.
   */
  async feature<F extends AnalysisFeature>(uri: string, feature: F, params: unknown): Promise<FeatureResult<F> | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const doc = this.documents.get(uri);
      if (!doc) return undefined;
      const worker = this.workerFor(doc);
      if (!worker) {
        const a = await this.analysisFor(uri);
        return a ? runFeature(feature, a, params) : undefined;
      }
      const settings = await this.settingsFor(uri);
      const now = this.documents.get(uri);
      if (!now) return undefined;
      let r;
      try {
        r = await worker.feature(uri, now.version, () => now.getText(), settings, feature, params);
      } catch (e) {
        // The worker died under this request: try again (a new worker, or this thread).
        if (!worker.alive && !this.stopped) continue;
        throw e;
      }
      // Superseded: the document changed meanwhile; answer for the newer version.
      if (r.kind === "result") return r.result;
    }
    return undefined;
  }

  /** Schedules a push of diagnostics after the debounce delay, replacing any pending run. */
  scheduleDiagnostics(uri: string, delay?: number): void {
    if (this.client.pullDiagnostics || this.stopped) return;
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    const doc = this.documents.get(uri);
    if (!doc) return;
    const wait = delay ?? (this.isLarge(doc) ? this.options.largeDebounceMs : this.options.debounceMs);
    const timer = setTimeout(() => {
      this.timers.delete(uri);
      void this.publish(uri);
    }, wait);
    this.timers.set(uri, timer);
  }

  private async publish(uri: string): Promise<void> {
    try {
      const r = await this.diagnosticsFor(uri);
      if (!r || this.stopped || this.timers.has(uri)) return;
      this.published.set(uri, r.version);
      await this.connection.sendDiagnostics({ uri, version: r.version, diagnostics: r.diagnostics });
    } catch (e) {
      this.connection.console.error(`diagnostics for ${uri}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  /** Stops background work (shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    if (this.worker) await this.worker.terminate();
    this.worker = undefined;
  }
}
