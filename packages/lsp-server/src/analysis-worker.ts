/**
 * Analysis off the main thread, for large documents: the server posts (uri, version, text,
 * settings) and gets back the LSP diagnostics, so that requests (completion above all) are
 * answered while a large file is re-analysed. Stale requests are dropped: when several versions
 * of a document are queued, only the newest is analysed.
 */
import { Worker, parentPort, type MessagePort } from "node:worker_threads";
import type * as lsp from "vscode-languageserver";
import { analyze } from "./analysis.js";
import { toDiagnostic } from "./convert/to-lsp.js";
import type { ServerSettings } from "./settings.js";

/** A request to the worker. */
interface WorkerRequest {
  readonly id: number;
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  readonly settings: ServerSettings;
}

/** The worker's answer; `diagnostics` is undefined when the request was superseded. */
interface WorkerResponse {
  readonly id: number;
  readonly uri: string;
  readonly version: number;
  readonly diagnostics: lsp.Diagnostic[] | undefined;
  readonly attestationType: string | undefined;
  readonly error?: string;
}

/** The result of analysing a document in the worker. */
export interface WorkerDiagnostics {
  readonly version: number;
  readonly diagnostics: lsp.Diagnostic[];
  readonly attestationType: string | undefined;
}

/** Runs the worker side: call from the worker thread's entry point. */
export function runAnalysisWorker(port: MessagePort | null = parentPort): void {
  if (!port) throw new TypeError("runAnalysisWorker must run in a worker thread");
  const pending = new Map<string, WorkerRequest>();
  let scheduled = false;
  const drain = (): void => {
    scheduled = false;
    const batch = [...pending.values()];
    pending.clear();
    for (const req of batch) {
      try {
        const a = analyze(req.uri, req.version, req.text, req.settings);
        const diagnostics = a.diagnostics.map((d) => toDiagnostic(a.lineIndex, req.uri, d));
        port.postMessage({ id: req.id, uri: req.uri, version: req.version, diagnostics, attestationType: a.attestationType } satisfies WorkerResponse);
      } catch (e) {
        port.postMessage({
          id: req.id,
          uri: req.uri,
          version: req.version,
          diagnostics: undefined,
          attestationType: undefined,
          error: e instanceof Error ? (e.stack ?? e.message) : String(e),
        } satisfies WorkerResponse);
      }
    }
  };
  port.on("message", (req: WorkerRequest) => {
    const older = pending.get(req.uri);
    if (older) port.postMessage({ id: older.id, uri: older.uri, version: older.version, diagnostics: undefined, attestationType: undefined } satisfies WorkerResponse);
    pending.set(req.uri, req);
    if (!scheduled) {
      scheduled = true;
      setImmediate(drain);
    }
  });
}

/** The server side of the analysis worker. */
export class AnalysisWorkerClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, (r: WorkerResponse) => void>();
  private dead = false;

  constructor(
    script: URL,
    private readonly log: (message: string) => void,
  ) {
    this.worker = new Worker(script, { stdout: true, stderr: false });
    this.worker.unref();
    this.worker.on("message", (r: WorkerResponse) => {
      if (r.error !== undefined) this.log(`analysis worker: ${r.error}`);
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
    for (const resolve of this.waiting.values()) resolve({ id: 0, uri: "", version: -1, diagnostics: undefined, attestationType: undefined });
    this.waiting.clear();
  }

  /** Analyses a document; resolves to undefined when superseded by a newer version or on failure. */
  analyze(uri: string, version: number, text: string, settings: ServerSettings): Promise<WorkerDiagnostics | undefined> {
    if (this.dead) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, (r) => resolve(r.diagnostics ? { version: r.version, diagnostics: r.diagnostics, attestationType: r.attestationType } : undefined));
      this.worker.postMessage({ id, uri, version, text, settings } satisfies WorkerRequest);
    });
  }

  /** Stops the worker. */
  async terminate(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
  }
}
