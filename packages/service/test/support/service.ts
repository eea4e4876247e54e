/**
 * Test support: a service started in-process on an ephemeral port (HTTPS by default), signer
 * identities, and small HTTP helpers that trust the service's certificate.
 */
import { request as httpsRequest } from "node:https";
import { request as httpRequest } from "node:http";
import { packPolicy } from "@maa-policy/core";
import { readFileSync } from "node:fs";
import { selfSignedCertificate, startService, type RunningService, type ServiceOptions } from "@maa-policy/service";

/** The committed test keys (fixtures/keys), handed out in turn: fresh RSA keys are slow on a loaded machine. */
const KEYS = Array.from({ length: 8 }, (_, i) => readFileSync(new URL(`../fixtures/keys/test-key-${i + 1}.pem`, import.meta.url), "utf8"));
let nextKey = 0;
export async function poolKey(): Promise<string> {
  return KEYS[nextKey++ % KEYS.length] as string;
}

export interface Signer {
  readonly keyPem: string;
  readonly certPem: string;
  /** Standard base64 DER. */
  readonly der: string;
}

/** A new signer (RSA-2048 key, self-signed CA certificate valid 2020-2050). */
export async function makeSigner(commonName: string): Promise<Signer> {
  const keyPem = await poolKey();
  const certPem = await selfSignedCertificate({ keyPem, commonName, ca: true, notBefore: new Date("2020-01-01T00:00:00Z"), notAfter: new Date("2050-01-01T00:00:00Z") });
  return { keyPem, certPem, der: certPem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "") };
}

/** Starts a service in memory on an ephemeral port (HTTPS unless `http`). */
export function start(options: ServiceOptions = {}): Promise<RunningService> {
  return startService({ inMemory: true, port: 0, generateKey: poolKey, ...options });
}

export interface Res {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly json: any;
}

/** One request to the running service (trusting its TLS certificate). */
export function call(s: RunningService, method: string, path: string, options: { body?: string | Buffer; contentType?: string; token?: string; headers?: Record<string, string> } = {}): Promise<Res> {
  const url = new URL(path.startsWith("/") ? s.url + path : path);
  const headers: Record<string, string | number> = { ...(options.headers ?? {}) };
  if (options.body !== undefined) {
    headers["content-type"] = options.contentType ?? "application/json";
    headers["content-length"] = Buffer.byteLength(options.body);
  }
  if (options.token) headers["authorization"] = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const req = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, { method, headers, ...(s.tlsCertificate ? { ca: s.tlsCertificate } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** The decoded payload of a compact JWS. */
export function claimsOf(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString("utf8"));
}

/** The decoded header of a compact JWS. */
export function headerOf(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split(".")[0] as string, "base64url").toString("utf8"));
}

/** An unsigned policy token. */
export async function unsigned(text: string): Promise<string> {
  return (await packPolicy(text)).token;
}

/** A policy token signed by `signer`. */
export async function signed(text: string, signer: Signer): Promise<string> {
  return (await packPolicy(text, { key: signer.keyPem, certificates: signer.certPem })).token;
}

export const MINIMAL = "version=1.0; authorizationrules{=> permit();}; issuancerules{};";
export const RESET_UNSIGNED = "eyJhbGciOiJub25lIn0..";
export const V = "api-version=2020-10-01";

/** One exchange of a recorded session (fixtures/recordings, the Azure SDK test-proxy format). */
export interface RecordedCall {
  readonly Method: string;
  readonly Url: string;
  readonly Response: { readonly STATUS_CODE: string; readonly BODY: string };
}

const RECORDINGS = new URL("../fixtures/recordings/", import.meta.url);

/** The exchanges of one recorded session. */
export function recording(name: string): RecordedCall[] {
  return (JSON.parse(readFileSync(new URL(name, RECORDINGS), "utf8")) as { networkCallRecords: RecordedCall[] }).networkCallRecords;
}

/** The inputs the recorded C++ tests sent (file 10): quotes, reports, runtime data, policies. */
export const RECORDED_INPUTS = JSON.parse(readFileSync(new URL("10-cpp-test-inputs.derived.json", RECORDINGS), "utf8")) as Record<string, string>;
