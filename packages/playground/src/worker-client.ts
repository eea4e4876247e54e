/** Requests to the analysis worker, by id; a worker started from a Blob URL (works from file://). */
import type { Method, Requests, ResponseMessage } from "./protocol.js";

export function blobWorker(script: string): Worker {
  return new Worker(URL.createObjectURL(new Blob([script], { type: "text/javascript" })));
}

export class AnalysisClient {
  private readonly worker = blobWorker(__ANALYSIS_WORKER__);
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor() {
    this.worker.onmessage = (ev: MessageEvent<ResponseMessage>) => {
      const p = this.pending.get(ev.data.id);
      if (!p) return;
      this.pending.delete(ev.data.id);
      if ("error" in ev.data) p.reject(new Error(ev.data.error));
      else p.resolve(ev.data.result);
    };
    this.worker.onerror = (ev) => {
      for (const p of this.pending.values()) p.reject(new Error(`the analysis worker failed: ${ev.message}`));
      this.pending.clear();
    };
  }

  request<M extends Method>(method: M, params: Requests[M]["params"], transfer: Transferable[] = []): Promise<Requests[M]["result"]> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, params }, transfer);
    });
  }
}
