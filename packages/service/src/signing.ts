/**
 * RS256 signatures (RSASSA-PKCS1-v1_5 with SHA-256) of the service's tokens, off the event loop.
 *
 * `SigningThread` signs on one worker thread of its own. An RSA-2048 signature is most of the CPU
 * an attest costs; on libuv's thread pool (where WebCrypto and `crypto.sign(..., callback)` run
 * it) four signatures at a time compete for the cores with the event loop, and the evidence
 * package's small WebCrypto jobs (ECDSA verifications, digests) wait in the same queue behind
 * them. On a thread of its own the signatures take one core at most, in order, and the pool stays
 * free for the short jobs. `POOL_SIGNER` is the in-process alternative (libuv's pool), for apps
 * built without a running service (tests with `inject`).
 */
import { sign as cryptoSign, type KeyObject } from "node:crypto";
import { Worker } from "node:worker_threads";

/** Signs `data` with an RSA private key: RS256's signature. */
export interface Rs256Signer {
  sign(key: KeyObject, data: Uint8Array): Promise<Uint8Array>;
}

/** Signatures on libuv's thread pool (`crypto.sign` with a callback). */
export const POOL_SIGNER: Rs256Signer = {
  sign: (key, data) =>
    new Promise((resolve, reject) => {
      cryptoSign("sha256", data, key, (err, signature) => (err ? reject(err) : resolve(new Uint8Array(signature))));
    }),
};

// The worker's code, evaluated (not a file: the CLI is bundled into one). It reads Node's modules
// with `process.getBuiltinModule`, so it runs as a script and as a module alike (a worker inherits
// `--input-type=module`). Keys arrive once, as PKCS#8 DER with an id; every request names its key by id.
const WORKER_SOURCE = `"use strict";
const { parentPort } = process.getBuiltinModule("node:worker_threads");
const { createPrivateKey, sign } = process.getBuiltinModule("node:crypto");
const keys = new Map();
parentPort.on("message", (m) => {
  try {
    if (m.key !== undefined) keys.set(m.keyId, createPrivateKey({ key: Buffer.from(m.key), format: "der", type: "pkcs8" }));
    const key = keys.get(m.keyId);
    if (key === undefined) throw new Error("unknown signing key " + m.keyId);
    parentPort.postMessage({ id: m.id, signature: sign("sha256", m.data, key) });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String((e && e.message) || e) });
  }
});`;

interface Pending {
  resolve(signature: Uint8Array): void;
  reject(error: Error): void;
}

interface Reply {
  readonly id: number;
  readonly signature?: Uint8Array;
  readonly error?: string;
}

/**
 * Signatures on a worker thread of their own, started on the first signature. A worker that dies
 * fails only the signatures it held (each request gets its error) and the next signature starts a
 * new one. The thread keeps the process alive only while signatures are pending; `close()` ends
 * it, and signatures asked for after `close()` are made on libuv's pool.
 */
export class SigningThread implements Rs256Signer {
  #worker: Worker | undefined;
  /** Key ids the current worker holds. */
  #known = new Set<number>();
  readonly #pending = new Map<number, Pending>();
  readonly #keyIds = new WeakMap<KeyObject, number>();
  #nextId = 1;
  #nextKeyId = 1;
  #closed = false;

  sign(key: KeyObject, data: Uint8Array): Promise<Uint8Array> {
    if (this.#closed) return POOL_SIGNER.sign(key, data);
    const worker = this.#start();
    let keyId = this.#keyIds.get(key);
    if (keyId === undefined) {
      keyId = this.#nextKeyId++;
      this.#keyIds.set(key, keyId);
    }
    const id = this.#nextId++;
    const message: { id: number; keyId: number; data: Uint8Array; key?: Uint8Array } = { id, keyId, data };
    if (!this.#known.has(keyId)) {
      try {
        message.key = new Uint8Array(key.export({ format: "der", type: "pkcs8" }));
      } catch (e) {
        return Promise.reject(new Error(`signing failed: ${e instanceof Error ? e.message : String(e)}`));
      }
      this.#known.add(keyId);
    }
    return new Promise<Uint8Array>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      if (this.#pending.size === 1) worker.ref();
      worker.postMessage(message);
    });
  }

  /** Signatures not answered yet (for tests and diagnostics). */
  get pending(): number {
    return this.#pending.size;
  }

  /** Ends the thread; pending signatures fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const w = this.#worker;
    if (w === undefined) return;
    this.#lost(w, new Error("the signing thread was closed"));
    await w.terminate();
  }

  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.unref();
    w.on("message", (m: Reply) => this.#settle(w, m));
    w.on("error", (e: Error) => this.#lost(w, e));
    w.on("exit", (code: number) => this.#lost(w, new Error(`the signing thread exited with code ${code}`)));
    this.#worker = w;
    this.#known = new Set();
    return w;
  }

  #settle(w: Worker, m: Reply): void {
    const p = this.#pending.get(m.id);
    if (p === undefined) return;
    this.#pending.delete(m.id);
    if (this.#pending.size === 0 && this.#worker === w) w.unref();
    if (m.signature !== undefined) p.resolve(new Uint8Array(m.signature.buffer, m.signature.byteOffset, m.signature.byteLength));
    else p.reject(new Error(`signing failed: ${m.error ?? "no signature"}`));
  }

  /** The worker `w` is gone (error, exit, close): its pending signatures fail; the next signature starts another. */
  #lost(w: Worker, error: Error): void {
    if (this.#worker !== w) return;
    this.#worker = undefined;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(error);
  }
}
