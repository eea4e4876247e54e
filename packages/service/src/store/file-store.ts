/**
 * `FileStore`: the state in a data directory, one JSON file per provider (`providers/NAME.json`).
 * Every write is atomic and durable before it resolves: write a temporary file, fsync it, rename
 * it over the old one, fsync the directory. A reader (or a restart after `kill -9`) sees the old
 * file or the new one, never a torn one. Writes are serialised, and each update reads the latest
 * record, so concurrent writers never lose an update. A lock file keeps a second service out.
 */
import { closeSync, constants, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { mkdir, open, readdir, readFile, rename, unlink } from "node:fs/promises";
import path from "node:path";
import { PROVIDER_NAME, Serial, StoreConflict, StoreError, type ProviderRecord, type Store } from "./store.js";

let tmpCounter = 0;

/** fsyncs a directory, so a rename or unlink in it is durable. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, constants.O_RDONLY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes `data` to `file` atomically and durably (temp, fsync, rename, fsync dir). */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${++tmpCounter}`);
  const fh = await open(tmp, "w", mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await syncDir(dir);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Reads and checks one provider file; throws `StoreError` naming the file and the problem. */
function parseRecord(file: string, text: string, expectedName: string): ProviderRecord {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new StoreError(`corrupt state: ${file}: not JSON`);
  }
  const bad = (what: string) => new StoreError(`corrupt state: ${file}: ${what}`);
  if (!isRecord(v)) throw bad("not a JSON object");
  if (v["format"] !== 1) throw bad("unknown `format` (expected 1)");
  if (v["name"] !== expectedName) throw bad(`\`name\` is not \`${expectedName}\``);
  if (v["trustModel"] !== "aad" && v["trustModel"] !== "isolated") throw bad("`trustModel` must be `aad` or `isolated`");
  if (typeof v["attestRequiresAuth"] !== "boolean") throw bad("`attestRequiresAuth` must be a boolean");
  if (typeof v["signingKeyPem"] !== "string" || !v["signingKeyPem"].includes("PRIVATE KEY")) throw bad("`signingKeyPem` must be a PEM private key");
  const policies = v["policies"];
  if (!isRecord(policies) || !Object.values(policies).every((p) => typeof p === "string")) throw bad("`policies` must map types to tokens");
  const signers = v["signers"];
  if (!Array.isArray(signers) || !signers.every((s) => typeof s === "string")) throw bad("`signers` must be an array of strings");
  if (!Number.isSafeInteger(v["revision"])) throw bad("`revision` must be an integer");
  return {
    name: expectedName,
    trustModel: v["trustModel"],
    attestRequiresAuth: v["attestRequiresAuth"],
    signingKeyPem: v["signingKeyPem"],
    policies: policies as Record<string, string>,
    signers: signers as string[],
    revision: v["revision"] as number,
  };
}

function serialise(r: ProviderRecord): string {
  const { name, trustModel, attestRequiresAuth, signingKeyPem, policies, signers, revision } = r;
  return JSON.stringify({ format: 1, name, trustModel, attestRequiresAuth, revision, policies, signers, signingKeyPem }, null, 2) + "\n";
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the data directory's lock file; throws `StoreError` when a live process holds it. */
function takeLock(lockFile: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, "wx", 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw new StoreError(`cannot lock ${lockFile}: ${(e as Error).message}`);
      const pid = Number.parseInt(readFileSync(lockFile, "utf8").trim(), 10);
      if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
        throw new StoreError(`data directory ${path.dirname(lockFile)} is in use by another service (process ${pid})`);
      }
      // A stale lock (the holder died, e.g. kill -9): take it over.
      try {
        unlinkSync(lockFile);
      } catch {
        /* raced with another starter: retry */
      }
    }
  }
  throw new StoreError(`cannot lock ${lockFile}`);
}


/** The provider state in a data directory. Open with `FileStore.open`. */
export class FileStore implements Store {
  readonly durable = true;
  private readonly serial = new Serial();
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly records: Map<string, ProviderRecord>,
    private readonly lockFile: string,
  ) {}

  private get providersDir(): string {
    return path.join(this.dir, "providers");
  }

  /** Opens (creating if needed) the data directory `dir`; throws `StoreError` for a corrupt or locked one. */
  static async open(dir: string): Promise<FileStore> {
    const providersDir = path.join(dir, "providers");
    try {
      await mkdir(providersDir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw new StoreError(`cannot create data directory ${dir}: ${(e as Error).message}`);
    }
    const lockFile = path.join(dir, "service.lock");
    takeLock(lockFile);
    const records = new Map<string, ProviderRecord>();
    try {
      for (const name of (await readdir(providersDir)).sort()) {
        const file = path.join(providersDir, name);
        if (name.startsWith(".") && name.includes(".tmp-")) {
          // A write interrupted before its rename: the old file is intact, drop the temporary.
          await unlink(file).catch(() => undefined);
          continue;
        }
        const m = /^(.*)\.json$/.exec(name);
        if (!m || !PROVIDER_NAME.test(m[1] as string)) throw new StoreError(`corrupt state: ${file}: not a provider file`);
        let text: string;
        try {
          text = await readFile(file, "utf8");
        } catch (e) {
          throw new StoreError(`cannot read ${file}: ${(e as Error).message}`);
        }
        records.set(m[1] as string, parseRecord(file, text, m[1] as string));
      }
    } catch (e) {
      try {
        unlinkSync(lockFile);
      } catch {
        /* already gone */
      }
      throw e instanceof StoreError ? e : new StoreError(`cannot read data directory ${dir}: ${(e as Error).message}`);
    }
    return new FileStore(dir, records, lockFile);
  }

  list(): readonly ProviderRecord[] {
    return [...this.records.values()];
  }

  get(name: string): ProviderRecord | undefined {
    return this.records.get(name);
  }

  private file(name: string): string {
    return path.join(this.providersDir, `${name}.json`);
  }

  create(record: ProviderRecord): Promise<ProviderRecord> {
    return this.serial.run(async () => {
      if (this.records.has(record.name)) throw new StoreConflict(`provider \`${record.name}\` exists`);
      await writeFileAtomic(this.file(record.name), serialise(record));
      this.records.set(record.name, record);
      return record;
    });
  }

  update(name: string, fn: (current: ProviderRecord) => ProviderRecord): Promise<ProviderRecord> {
    return this.serial.run(async () => {
      const current = this.records.get(name);
      if (!current) throw new StoreConflict(`provider \`${name}\` does not exist`);
      const next: ProviderRecord = { ...fn(current), name, revision: current.revision + 1 };
      await writeFileAtomic(this.file(name), serialise(next));
      this.records.set(name, next);
      return next;
    });
  }

  remove(name: string): Promise<boolean> {
    return this.serial.run(async () => {
      if (!this.records.has(name)) return false;
      await unlink(this.file(name));
      await syncDir(this.providersDir);
      this.records.delete(name);
      return true;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.serial.run(async () => undefined);
    try {
      unlinkSync(this.lockFile);
    } catch {
      /* already gone */
    }
  }
}
