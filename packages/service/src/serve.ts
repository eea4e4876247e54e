/**
 * `startService(options)`: the process side of the service. Opens the data directory (or memory),
 * creates the embedded default providers on first start, loads or makes the keys (issuer, TLS),
 * builds the app and listens. Start-up problems are a `StartupError` with one line to print.
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { Authenticator, mintAccessToken, type Role } from "./auth/auth.js";
import type { AttestEngine } from "./attest/engine.js";
import { EVIDENCE_ENGINE } from "./attest/evidence-engine.js";
import type { AttestationFeed } from "./attest/feed.js";
import { buildApp } from "./app.js";
import { generateRsaKeyPem, selfSignedCertificate } from "./keys.js";
import { ProviderRegistry } from "./providers/registry.js";
import { certificatesOfPem } from "./routes/providers.js";
import { ServiceError } from "./errors.js";
import { FileStore, writeFileAtomic } from "./store/file-store.js";
import { SigningThread } from "./signing.js";
import { MemoryStore, PROVIDER_NAME, StoreError, type Store } from "./store/store.js";

/** A start-up failure: one line for the user, exit code 2. */
export class StartupError extends Error {
  override readonly name = "StartupError";
}

/** A provider named on the command line (`--provider NAME[=SIGNERS.pem]`). */
export interface ProviderOption {
  readonly name: string;
  /** A PEM file of trusted signers: the provider is isolated. */
  readonly signersFile?: string;
}

export interface ServiceOptions {
  /** The data directory; ignored with `inMemory`. Default: `defaultDataDir(env)`. */
  readonly dataDir?: string;
  readonly inMemory?: boolean;
  readonly host?: string;
  /** 0 for an ephemeral port. Default 8443 (HTTPS) or 8080 (`http`). */
  readonly port?: number;
  /** Plain HTTP instead of HTTPS. */
  readonly http?: boolean;
  /** Your own TLS certificate and key (PEM files). */
  readonly certFile?: string;
  readonly keyFile?: string;
  /** A frozen clock (tokens and certificate checks). */
  readonly now?: Date;
  readonly providers?: readonly ProviderOption[];
  /** The environment, for the default data directory. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The working directory relative file names are resolved against. */
  readonly cwd?: string;
  /** The key that signs bearer tokens (PEM); default the data directory's, or a new one in memory. */
  readonly issuerKeyPem?: string;
  /** Makes every new RSA-2048 key (provider, issuer, TLS, default signer); default node:crypto's generator. */
  readonly generateKey?: () => Promise<string>;
  /** The evidence appraiser (default: the `@maa-policy/evidence` engine). */
  readonly attest?: AttestEngine;
  /** One line per request. */
  readonly log?: (line: string) => void;
  readonly bodyLimit?: number;
  /** The console's feed of the last attestations (default: the default bounds of `attest/feed.ts`). */
  readonly feed?: AttestationFeed;
  /** Socket timeouts (ms): the whole request, and idle keep-alive connections. */
  readonly requestTimeout?: number;
  readonly keepAliveTimeout?: number;
  /** Close gracefully on SIGINT and SIGTERM (the `serve` command). */
  readonly handleSignals?: boolean;
}

export interface RunningService {
  /** `scheme://host:port`. */
  readonly url: string;
  readonly port: number;
  readonly app: FastifyInstance;
  readonly providers: ProviderRegistry;
  /** The data directory, or undefined in memory. */
  readonly dataDir: string | undefined;
  /** The TLS certificate clients should trust (PEM), or undefined for `http`. */
  readonly tlsCertificate: string | undefined;
  /** The trusted signer generated for the default isolated provider (key and certificate PEM), when there is one. */
  readonly defaultSigner: { readonly keyPem: string; readonly certPem: string } | undefined;
  /** What `maa-policy serve` prints on start. */
  readonly banner: string;
  /** Mints a bearer token this service accepts. */
  mintToken(role: Role, provider?: string): Promise<string>;
  /** Stops listening (in-flight requests finish), closes the store. */
  close(): Promise<void>;
  /** Resolves once closed (by `close` or a signal). */
  readonly closed: Promise<void>;
}

/** The default data directory: `$XDG_DATA_HOME/maa-policy/service`, else the platform's user data directory. */
export function defaultDataDir(env: Readonly<Record<string, string | undefined>> = {}): string {
  if (env["XDG_DATA_HOME"]) return path.join(env["XDG_DATA_HOME"], "maa-policy", "service");
  if (process.platform === "darwin") return path.join(homedir(), "Library", "Application Support", "maa-policy", "service");
  if (process.platform === "win32") return path.join(env["LOCALAPPDATA"] ?? path.join(homedir(), "AppData", "Local"), "maa-policy", "service");
  return path.join(homedir(), ".local", "share", "maa-policy", "service");
}

/** Files of the data directory besides the providers. */
export const DATA_FILES = {
  issuerKey: "auth-issuer.key.pem",
  tlsCert: path.join("tls", "cert.pem"),
  tlsKey: path.join("tls", "key.pem"),
  defaultSignerKey: path.join("signers", "default-signer.key.pem"),
  defaultSignerCert: path.join("signers", "default-signer.cert.pem"),
} as const;

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new StartupError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

/** Reads a file the user named; one clear line when it cannot. */
async function readUserFile(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StartupError(`cannot read ${what} ${file}: ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (e as Error).message}`);
  }
}

/** A key or certificate kept in the data directory: read it, or make and store it. */
async function persistent(dir: string | undefined, rel: string, make: () => Promise<string>): Promise<string> {
  if (!dir) return make();
  const file = path.join(dir, rel);
  const existing = await readOptional(file);
  if (existing !== undefined) return existing;
  const value = await make();
  const { mkdir } = await import("node:fs/promises");
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, value);
  return value;
}

/** Mints a bearer token with the issuer key of the data directory `dataDir` (`maa-policy serve token`). */
export async function mintTokenForDataDir(dataDir: string, role: Role, options: { provider?: string; now?: Date } = {}): Promise<string> {
  const file = path.join(dataDir, DATA_FILES.issuerKey);
  const key = await readOptional(file);
  if (key === undefined) throw new StartupError(`no issuer key in ${dataDir}: start \`maa-policy serve --data-dir ${dataDir}\` once first`);
  try {
    return await mintAccessToken(key, { role, provider: options.provider, now: options.now ?? new Date() });
  } catch {
    throw new StartupError(`corrupt state: ${file}: not an RSA private key`);
  }
}

function listenError(e: unknown, host: string, port: number): StartupError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") return new StartupError(`port ${port} on ${host} is in use: stop the other server or pick another with --port`);
  if (code === "EACCES") return new StartupError(`port ${port} on ${host} needs privileges: use a port above 1023`);
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") return new StartupError(`cannot listen on ${host}: no such local address`);
  return new StartupError(`cannot listen on ${host}:${port}: ${(e as Error).message}`);
}

/** Starts the service. */
export async function startService(options: ServiceOptions = {}): Promise<RunningService> {
  const cwd = options.cwd ?? process.cwd();
  const dataDir = options.inMemory ? undefined : path.resolve(cwd, options.dataDir ?? defaultDataDir(options.env ?? {}));
  const frozen = options.now;
  const now = frozen ? () => frozen : () => new Date();
  const host = options.host ?? "127.0.0.1";
  const scheme = options.http ? "http" : "https";
  const requestedPort = options.port ?? (options.http ? 8080 : 8443);
  const generateKey = options.generateKey ?? generateRsaKeyPem;

  for (const p of options.providers ?? []) {
    if (!PROVIDER_NAME.test(p.name)) throw new StartupError(`--provider ${p.name}: use 3 to 24 lower-case letters and digits`);
  }
  // Read the user's files before touching the data directory.
  const namedSigners = new Map<string, string[]>();
  for (const p of options.providers ?? []) {
    if (p.signersFile === undefined) continue;
    const file = path.resolve(cwd, p.signersFile);
    let certs: string[];
    try {
      certs = certificatesOfPem(await readUserFile(file, "signer file"));
    } catch (e) {
      if (e instanceof ServiceError) throw new StartupError(`signer file ${file}: ${e.message}`);
      throw e;
    }
    if (certs.length === 0) throw new StartupError(`signer file ${file}: no \`-----BEGIN CERTIFICATE-----\` block found`);
    namedSigners.set(p.name, certs);
  }
  let tls: { cert: string; key: string } | undefined;
  if (!options.http) {
    if ((options.certFile === undefined) !== (options.keyFile === undefined)) throw new StartupError("--cert and --key go together");
    if (options.certFile && options.keyFile) {
      tls = { cert: await readUserFile(path.resolve(cwd, options.certFile), "certificate"), key: await readUserFile(path.resolve(cwd, options.keyFile), "key") };
    }
  }

  let store: Store;
  try {
    store = dataDir ? await FileStore.open(dataDir) : new MemoryStore();
  } catch (e) {
    if (e instanceof StoreError) throw new StartupError(e.message);
    throw e;
  }
  try {
    const issuerKeyPem = options.issuerKeyPem ?? (await persistent(dataDir, DATA_FILES.issuerKey, generateKey));
    const auth = new Authenticator(issuerKeyPem, now);
    if (!tls && !options.http) {
      const key = await persistent(dataDir, DATA_FILES.tlsKey, generateKey);
      const cert = await persistent(dataDir, DATA_FILES.tlsCert, () =>
        selfSignedCertificate({
          keyPem: key,
          commonName: "localhost",
          dnsNames: ["localhost"],
          ipAddresses: ["127.0.0.1", "::1"],
          notBefore: new Date(Date.now() - 24 * 3600 * 1000),
          notAfter: new Date(Date.now() + 5 * 365 * 24 * 3600 * 1000),
        }),
      );
      tls = { cert, key };
    }
    // Token signatures on a thread of their own (`signing.ts`), ended with the service.
    const signer = new SigningThread();
    const registry = new ProviderRegistry(store, `${scheme}://${host}:${requestedPort}`, generateKey, signer);
    const created: string[] = [];
    let defaultSigner: { keyFile: string; certFile: string } | undefined;
    let defaultSignerPem: { keyPem: string; certPem: string } | undefined;
    if (store.list().length === 0 && (options.providers ?? []).length === 0) {
      // The embedded default: an AAD provider and an isolated one with a generated signer.
      const signerKey = await persistent(dataDir, DATA_FILES.defaultSignerKey, generateKey);
      const signerCert = await persistent(dataDir, DATA_FILES.defaultSignerCert, () =>
        selfSignedCertificate({ keyPem: signerKey, commonName: "maa-policy local default signer", ca: true, notBefore: new Date("2020-01-01T00:00:00Z"), notAfter: new Date("2050-12-31T23:59:59Z") }),
      );
      defaultSignerPem = { keyPem: signerKey, certPem: signerCert };
      await registry.create({ name: "aad", trustModel: "aad" });
      await registry.create({ name: "isolated", trustModel: "isolated", signers: certificatesOfPem(signerCert) });
      created.push("aad", "isolated");
      if (dataDir) defaultSigner = { keyFile: path.join(dataDir, DATA_FILES.defaultSignerKey), certFile: path.join(dataDir, DATA_FILES.defaultSignerCert) };
    }
    for (const p of options.providers ?? []) {
      if (store.get(p.name)) continue;
      const signers = namedSigners.get(p.name);
      await registry.create({ name: p.name, trustModel: signers ? "isolated" : "aad", ...(signers ? { signers } : {}) });
      created.push(p.name);
    }
    if (dataDir && !defaultSigner && (await readOptional(path.join(dataDir, DATA_FILES.defaultSignerCert))) !== undefined) {
      defaultSigner = { keyFile: path.join(dataDir, DATA_FILES.defaultSignerKey), certFile: path.join(dataDir, DATA_FILES.defaultSignerCert) };
    }

    const app = await buildApp({
      providers: registry,
      auth,
      attest: options.attest ?? EVIDENCE_ENGINE,
      now,
      ...(options.log ? { log: options.log } : {}),
      ...(options.bodyLimit !== undefined ? { bodyLimit: options.bodyLimit } : {}),
      ...(options.feed ? { feed: options.feed } : {}),
      server: {
        https: tls ?? null,
        requestTimeout: options.requestTimeout ?? 30_000,
        keepAliveTimeout: options.keepAliveTimeout ?? 5_000,
        connectionTimeout: options.requestTimeout ?? 30_000,
      },
    });
    let port: number;
    try {
      await app.listen({ host, port: requestedPort });
      const address = app.server.address();
      port = typeof address === "object" && address ? address.port : requestedPort;
    } catch (e) {
      await app.close().catch(() => undefined);
      await signer.close();
      throw listenError(e, host, requestedPort);
    }
    const hostInUrl = host.includes(":") ? `[${host}]` : host;
    const url = `${scheme}://${hostInUrl}:${port}`;
    registry.setBaseUrl(url);

    let resolveClosed: () => void = () => undefined;
    const closed = new Promise<void>((r) => (resolveClosed = r));
    let closing: Promise<void> | undefined;
    const onSignal = () => void close();
    const close = (): Promise<void> => {
      closing ??= (async () => {
        if (options.handleSignals) {
          process.off("SIGINT", onSignal);
          process.off("SIGTERM", onSignal);
        }
        await app.close();
        await signer.close();
        await store.close();
        resolveClosed();
      })();
      return closing;
    };
    if (options.handleSignals) {
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
    }
    const running: RunningService = {
      url,
      port,
      app,
      providers: registry,
      dataDir,
      tlsCertificate: tls?.cert,
      defaultSigner: defaultSignerPem,
      banner: "",
      mintToken: (role, provider) => mintAccessToken(issuerKeyPem, { role, provider, now: now() }),
      close,
      closed,
    };
    return { ...running, banner: await banner(running, created, defaultSigner, frozen) };
  } catch (e) {
    await store.close().catch(() => undefined);
    if (e instanceof StoreError) throw new StartupError(e.message);
    throw e;
  }
}

async function banner(s: RunningService, created: readonly string[], signer: { keyFile: string; certFile: string } | undefined, frozen: Date | undefined): Promise<string> {
  const lines: string[] = [];
  lines.push(`maa-policy serve: listening on ${s.url} (${s.dataDir ? `data in ${s.dataDir}` : "in memory: nothing is kept"}${frozen ? `, clock frozen at ${frozen.toISOString()}` : ""})`);
  if (s.tlsCertificate && s.dataDir) lines.push(`TLS certificate (trust it, e.g. curl --cacert): ${path.join(s.dataDir, DATA_FILES.tlsCert)}`);
  lines.push("", "Providers:");
  for (const r of s.providers.store.list()) {
    const st = s.providers.status(r);
    lines.push(`  ${st.name.padEnd(12)} ${st.trustModel.padEnd(9)} ${st.attestUri}${created.includes(r.name) ? "  (created now)" : ""}`);
  }
  const first = s.providers.store.list()[0];
  if (first) {
    const ca = s.tlsCertificate && s.dataDir ? ` --cacert ${path.join(s.dataDir, DATA_FILES.tlsCert)}` : s.tlsCertificate ? " -k" : "";
    lines.push("", "Try:");
    lines.push(`  curl${ca} ${s.providers.url(first.name)}/.well-known/openid-configuration`);
    if (s.dataDir) {
      lines.push(`  TOKEN=$(maa-policy serve token --data-dir ${s.dataDir} --role contributor)`);
    } else {
      lines.push(`  TOKEN=${await s.mintToken("Contributor")}`);
    }
    lines.push(`  curl${ca} -H "Authorization: Bearer $TOKEN" "${s.providers.url(first.name)}/policies/SgxEnclave?api-version=2020-10-01"`);
    if (signer) {
      lines.push(`  maa-policy pack policy.txt --key ${signer.keyFile} --cert ${signer.certFile} > policy.jws   # signed by the isolated provider's trusted signer`);
    }
  }
  return lines.join("\n") + "\n";
}
