/**
 * The web pages of `maa-policy serve`: the service console at `/` and the playground at
 * `/playground/`, served from the static build of packages/playground (`npm run build:playground`),
 * and `GET /_console/attestations`, the last attestations this service answered (newest first), which
 * the console polls. Reading the attestations needs a Reader token without a provider restriction,
 * as the provider list does. Registered by one line in app.ts.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import type { ServiceContext } from "../context.js";
import { ServiceError } from "../errors.js";

/** How many attestations the console keeps. */
export const KEPT_ATTESTATIONS = 50;

/**
 * The playground's build in the repository: from this module (packages/service/dist/routes/) or from
 * the CLI's one-file bundle (packages/cli/dist/), whichever holds it.
 */
export const DEFAULT_WEB_ROOT = [new URL("../../../playground/dist/", import.meta.url), new URL("../../playground/dist/", import.meta.url)]
  .map((u) => fileURLToPath(u))
  .find((d) => existsSync(join(d, "index.html"))) ?? fileURLToPath(new URL("../../../playground/dist/", import.meta.url));

const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8" };

/** One attestation as the console shows it. */
export interface AttestationRecord {
  readonly time: string;
  readonly provider: string;
  readonly type: string;
  readonly status: number;
  /** The issued token's claims, or null when the attestation failed. */
  readonly claims: Record<string, unknown> | null;
  /** The service's error message, or null. */
  readonly error: string | null;
}

function tokenClaims(payload: string): Record<string, unknown> | null {
  try {
    const token = (JSON.parse(payload) as { token?: unknown }).token;
    if (typeof token !== "string") return null;
    return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function errorMessage(payload: string): string {
  try {
    const e = (JSON.parse(payload) as { error?: { code?: string; message?: string } }).error;
    return `${e?.code ?? "Error"}: ${e?.message ?? ""}`;
  } catch {
    return "the service refused the request";
  }
}

export function consoleRoutes(app: FastifyInstance, ctx: ServiceContext, webRoot: string = process.env["MAA_POLICY_WEB_ROOT"] ?? DEFAULT_WEB_ROOT): void {
  const recent: AttestationRecord[] = [];
  app.addHook("onSend", async (req, reply, payload) => {
    if (req.method === "POST" && req.routeOptions.url === "/:provider/attest/:type" && typeof payload === "string") {
      const params = req.params as { provider?: string; type?: string };
      const ok = reply.statusCode < 400;
      recent.unshift({
        time: ctx.now().toISOString(),
        provider: params.provider ?? "",
        type: params.type ?? "",
        status: reply.statusCode,
        claims: ok ? tokenClaims(payload) : null,
        error: ok ? null : errorMessage(payload),
      });
      recent.length = Math.min(recent.length, KEPT_ATTESTATIONS);
    }
    return payload;
  });

  app.get("/_console/attestations", async (req) => {
    const p = await ctx.auth.verify(req.headers.authorization);
    if (p.provider !== undefined) throw new ServiceError("Forbidden", "the console needs a token that is not restricted to one provider");
    await ctx.auth.require(req.headers.authorization, "Reader", "");
    return { value: recent };
  });

  const page = (file: string) => async (_req: unknown, reply: { type(t: string): unknown }) => {
    let body: Buffer;
    try {
      body = await readFile(join(webRoot, file));
    } catch {
      throw new ServiceError("NotFound", `the web pages are not built (no ${file} in ${webRoot}): run \`npm run build:playground\``);
    }
    reply.type(TYPES[file.slice(file.lastIndexOf("."))] ?? "application/octet-stream");
    return body;
  };
  // Trailing slashes are ignored by the router, so `/playground` is `/playground/`: the page's
  // relative `app.js` then resolves at `/`, where it is served too.
  app.get("/", page("console.html"));
  app.get("/playground/", page("index.html"));
  for (const f of ["console.html", "console.js", "console.css", "index.html", "app.js", "app.css"]) {
    if (f !== "console.html" && f !== "index.html") app.get(`/${f}`, page(f));
    app.get(`/playground/${f}`, page(f));
  }
}
