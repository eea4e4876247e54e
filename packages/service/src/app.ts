/**
 * `buildApp(config)`: the Fastify application of the service, with no process and no listening
 * (tests use `app.inject()`; `serve.ts` listens). Routes live in `routes/`, errors in `errors.ts`.
 */
import { randomUUID } from "node:crypto";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from "fastify";
import type { Authenticator } from "./auth/auth.js";
import type { AttestEngine } from "./attest/engine.js";
import { AttestationFeed } from "./attest/feed.js";
import type { ServiceContext } from "./context.js";
import { ServiceError, errorBody } from "./errors.js";
import type { ProviderRegistry } from "./providers/registry.js";
import { attestRoutes } from "./routes/attest.js";
import { certificateRoutes } from "./routes/certificates.js";
import { consoleRoutes } from "./routes/console.js";
import { metadataRoutes } from "./routes/metadata.js";
import { policyRoutes } from "./routes/policies.js";
import { previewRoutes } from "./routes/preview.js";
import { providerRoutes } from "./routes/providers.js";

/** The default request body limit: 1 MiB (an SGX quote is ~6 KB, a SEV-SNP report with its chain ~10 KB). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** The service version header. */
export const SERVICE_VERSION = "maa-policy-local/0.1.0";

/** What the application is built from. */
export interface AppConfig {
  readonly providers: ProviderRegistry;
  readonly auth: Authenticator;
  readonly attest: AttestEngine;
  readonly now: () => Date;
  /** One line per request (method, route, status, ms), JSON; default none. */
  readonly log?: (line: string) => void;
  readonly bodyLimit?: number;
  /** The console's feed of the last attestations; default a new one with the default bounds. */
  readonly feed?: AttestationFeed;
  /** Node server options for the listener (TLS, timeouts); ignored by `inject`. */
  readonly server?: Pick<FastifyServerOptions, "connectionTimeout" | "keepAliveTimeout" | "requestTimeout"> & { https?: { cert: string; key: string } | null };
}

/** `line L, column C` (1-based) of a character offset in `text`. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

/** The JSON value of a request body, or the raw text of a compact JWS sent as `application/json`. */
function parseJsonBody(text: string): unknown {
  if (text.trim() === "") return "";
  try {
    return JSON.parse(text);
  } catch (e) {
    if (/^\s*[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\s*$/.test(text)) return text;
    const m = /position (\d+)/.exec((e as Error).message);
    const where = m ? ` at ${lineColumn(text, Number(m[1]))}` : "";
    throw new ServiceError("InvalidParameter", `the request body is not valid JSON${where}`);
  }
}

function fastifyErrorToService(err: FastifyError): ServiceError {
  if (err instanceof ServiceError) return err;
  switch (err.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new ServiceError("PayloadTooLarge", "the request body is larger than the limit of this service");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new ServiceError("UnsupportedMediaType", "unsupported Content-Type: send `application/json` or `text/plain`");
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new ServiceError("InvalidParameter", "the Content-Length does not match the body");
  }
  if (err.validation) return new ServiceError("InvalidParameter", `the request is invalid: ${err.message}`);
  if (typeof err.statusCode === "number" && err.statusCode >= 400 && err.statusCode < 500) return new ServiceError("InvalidParameter", err.message);
  return new ServiceError("InternalError", "internal error (please report it)");
}

/** Builds the service application. */
export async function buildApp(config: AppConfig): Promise<FastifyInstance> {
  const https = config.server?.https;
  const app = Fastify({
    logger: false,
    bodyLimit: config.bodyLimit ?? DEFAULT_BODY_LIMIT,
    connectionTimeout: config.server?.connectionTimeout ?? 60_000,
    keepAliveTimeout: config.server?.keepAliveTimeout ?? 5_000,
    requestTimeout: config.server?.requestTimeout ?? 30_000,
    ...(https ? { https: { cert: https.cert, key: https.key } } : {}),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // 32 hex digits (the trace id of `x-ms-request-id`); randomUUID draws from a buffer of entropy
    // Node refills in batches, where randomBytes makes a system call per request.
    genReqId: () => randomUUID().replace(/-/g, ""),
    // Errors raised before routing (a malformed URL, a bad header) get the service's error body too.
    frameworkErrors: (err: FastifyError, _req: unknown, reply: { code(n: number): { type(t: string): { send(b: unknown): void } } }) => {
      const e = fastifyErrorToService(err);
      reply.code(e.status).type("application/json; charset=utf-8").send(errorBody(e.code, e.message));
    },
  } as FastifyServerOptions);
  const ctx: ServiceContext = { providers: config.providers, now: config.now, auth: config.auth, attest: config.attest, feed: config.feed ?? new AttestationFeed() };

  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  app.addContentTypeParser("text/plain", { parseAs: "string" }, (_req, body, done) => done(null, body));

  // Hooks in callback style: an async hook costs a promise and a microtask turn per request.
  app.addHook("onSend", (req, reply, payload, done) => {
    reply.header("x-ms-request-id", `00-${req.id}-0000000000000000-00`);
    reply.header("x-ms-maa-service-version", SERVICE_VERSION);
    done(null, payload);
  });
  const log = config.log;
  if (log) {
    app.addHook("onResponse", (req, reply, done) => {
      log(JSON.stringify({ method: req.method, route: req.routeOptions.url ?? "(no route)", status: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 }));
      done();
    });
  }

  app.setErrorHandler((err: FastifyError, _req, reply) => {
    const e = fastifyErrorToService(err);
    if (e.code === "InternalError" && log) log(JSON.stringify({ internalError: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
    void reply.code(e.status).headers(e.headers).type("application/json; charset=utf-8").send(errorBody(e.code, e.message));
  });
  app.setNotFoundHandler((req, reply) => {
    void reply
      .code(404)
      .type("application/json; charset=utf-8")
      .send(errorBody("NotFound", `no such operation: ${req.method} ${req.url.split("?")[0]}`));
  });

  consoleRoutes(app, ctx);
  metadataRoutes(app, ctx);
  policyRoutes(app, ctx);
  certificateRoutes(app, ctx);
  previewRoutes(app, ctx);
  attestRoutes(app, ctx);
  providerRoutes(app, ctx);
  await app.ready();
  return app;
}
