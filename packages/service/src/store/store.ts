/**
 * The state of the service and the `Store` that keeps it: one record per provider (trust model,
 * signing key, stored policies, trusted signers). Two implementations: `MemoryStore` (`--in-memory`)
 * and `FileStore` (a data directory, atomic and durable writes).
 */
import type { TrustModel } from "@maa-policy/core";

/** One provider as stored. Immutable: updates replace the record. */
export interface ProviderRecord {
  /** The name: the first path segment of its URL. */
  readonly name: string;
  readonly trustModel: TrustModel;
  /** Whether attest needs a bearer token (Reader or above); the seed's behaviour, off by default. */
  readonly attestRequiresAuth: boolean;
  /** The RSA-2048 key that signs this provider's tokens, PKCS#8 PEM. */
  readonly signingKeyPem: string;
  /** The stored policy JWS (verbatim, as sent) by canonical attestation type; absent means the default. */
  readonly policies: Readonly<Record<string, string>>;
  /** Trusted policy signers (isolated providers), standard base64 DER, in the order added. */
  readonly signers: readonly string[];
  /** Bumped by every write. */
  readonly revision: number;
}

/** Where the service keeps its providers. Writes are serialised; a write resolves once it is durable. */
export interface Store {
  /** Whether writes survive the process (false for `MemoryStore`). */
  readonly durable: boolean;
  list(): readonly ProviderRecord[];
  get(name: string): ProviderRecord | undefined;
  /** Adds a provider; rejects with `StoreConflict` if the name exists. */
  create(record: ProviderRecord): Promise<ProviderRecord>;
  /**
   * Replaces a provider by `fn(current)`, atomically with respect to every other write: `fn` sees
   * the latest record. `fn` may throw to abort (nothing is written).
   */
  update(name: string, fn: (current: ProviderRecord) => ProviderRecord): Promise<ProviderRecord>;
  /** Removes a provider; resolves to whether it existed. */
  remove(name: string): Promise<boolean>;
  close(): Promise<void>;
}

/** A provider name that is taken (create) or missing (update). */
export class StoreConflict extends Error {
  override readonly name = "StoreConflict";
}

/** The data directory cannot be used: unreadable, corrupt, or in use. One line, for the start-up error. */
export class StoreError extends Error {
  override readonly name = "StoreError";
}

/** Runs tasks one at a time, in order. */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/** Provider names: 3 to 24 lower-case letters and digits, as Azure's attestation provider names. */
export const PROVIDER_NAME = /^[a-z0-9]{3,24}$/;

/** The state kept in memory only. */
export class MemoryStore implements Store {
  readonly durable = false;
  private readonly records = new Map<string, ProviderRecord>();
  private readonly serial = new Serial();

  list(): readonly ProviderRecord[] {
    return [...this.records.values()];
  }

  get(name: string): ProviderRecord | undefined {
    return this.records.get(name);
  }

  create(record: ProviderRecord): Promise<ProviderRecord> {
    return this.serial.run(async () => {
      if (this.records.has(record.name)) throw new StoreConflict(`provider \`${record.name}\` exists`);
      this.records.set(record.name, record);
      return record;
    });
  }

  update(name: string, fn: (current: ProviderRecord) => ProviderRecord): Promise<ProviderRecord> {
    return this.serial.run(async () => {
      const current = this.records.get(name);
      if (!current) throw new StoreConflict(`provider \`${name}\` does not exist`);
      const next = { ...fn(current), name, revision: current.revision + 1 };
      this.records.set(name, next);
      return next;
    });
  }

  remove(name: string): Promise<boolean> {
    return this.serial.run(async () => this.records.delete(name));
  }

  async close(): Promise<void> {}
}
