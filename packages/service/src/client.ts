/**
 * A small client of the provider management API, for `maa-policy serve provider …`: it talks to a
 * running service over HTTP(S), trusting the TLS certificate of the data directory and minting its
 * bearer token with the data directory's issuer key.
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { DATA_FILES, StartupError, mintTokenForDataDir } from "./serve.js";

export interface ClientOptions {
  /** The service, `https://127.0.0.1:8443`. */
  readonly url: string;
  readonly dataDir: string;
  /** A CA file to trust instead of the data directory's TLS certificate. */
  readonly caFile?: string;
  /** The issue time of the bearer token (a service started with `--now`). */
  readonly now?: Date;
}

export interface ClientResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Sends one request to the management API; one-line `StartupError` when the service cannot be reached. */
export async function managementRequest(options: ClientOptions, method: string, route: string, body?: unknown): Promise<ClientResponse> {
  const token = await mintTokenForDataDir(options.dataDir, "Contributor", options.now ? { now: options.now } : {});
  const url = new URL(route, options.url.endsWith("/") ? options.url : options.url + "/");
  let ca: string | undefined;
  if (url.protocol === "https:") {
    const caFile = options.caFile ?? path.join(options.dataDir, DATA_FILES.tlsCert);
    try {
      ca = await readFile(caFile, "utf8");
    } catch {
      throw new StartupError(`cannot read the TLS certificate ${caFile} (give --cacert)`);
    }
  }
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = (url.protocol === "https:" ? httpsRequest : httpRequest)(
      url,
      {
        method,
        headers: { authorization: `Bearer ${token}`, ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}) },
        ...(ca ? { ca } : {}),
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            /* not JSON: keep the text */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", (e: NodeJS.ErrnoException) =>
      reject(new StartupError(e.code === "ECONNREFUSED" ? `no service listens at ${options.url} (start it with \`maa-policy serve\`)` : `cannot reach ${options.url}: ${e.message}`)),
    );
    if (payload) req.write(payload);
    req.end();
  });
}
