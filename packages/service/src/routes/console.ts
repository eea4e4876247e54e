/**
 * The web pages of `maa-policy serve`: the service console at `/` and the playground at
 * `/playground/`, served from the static build of packages/playground (`npm run build:playground`),
 * `GET /_console/attestations`, the last attestations this service answered (newest first, without
 * their traces), which the console polls, and `GET /_console/attestations/{id}`, one of them with its
 * evaluation trace (`attest/feed.ts` keeps them, bounded). Reading them needs a Reader token without
 * a provider restriction, as the provider list does. Registered by one line in app.ts.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import type { ServiceContext } from "../context.js";
import { ServiceError } from "../errors.js";

/**
 * The playground's build in the repository: from this module (packages/service/dist/routes/) or from
 * the CLI's one-file bundle (packages/cli/dist/), whichever holds it.
 */
export const DEFAULT_WEB_ROOT = [new URL("../../../playground/dist/", import.meta.url), new URL("../../playground/dist/", import.meta.url)]
  .map((u) => fileURLToPath(u))
  .find((d) => existsSync(join(d, "index.html"))) ?? fileURLToPath(new URL("../../../playground/dist/", import.meta.url));

const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8" };

export function consoleRoutes(app: FastifyInstance, ctx: ServiceContext, webRoot: string = process.env["MAA_POLICY_WEB_ROOT"] ?? DEFAULT_WEB_ROOT): void {
  app.addHook("onSend", (req, reply, payload, done) => {
    if (req.method === "POST" && req.routeOptions.url === "/:provider/attest/:type" && typeof payload === "string") {
      const params = req.params as { provider?: string; type?: string };
      ctx.feed.record(req, ctx.now(), { provider: params.provider ?? "", type: params.type ?? "", status: reply.statusCode, payload });
    }
    done(null, payload);
  });

  const requireConsoleReader = async (authorization: string | undefined) => {
    const p = await ctx.auth.verify(authorization);
    if (p.provider !== undefined) throw new ServiceError("Forbidden", "the console needs a token that is not restricted to one provider");
    await ctx.auth.require(authorization, "Reader", "");
  };
  app.get("/_console/attestations", async (req) => {
    await requireConsoleReader(req.headers.authorization);
    return { value: ctx.feed.list() };
  });
  app.get("/_console/attestations/:id", async (req) => {
    await requireConsoleReader(req.headers.authorization);
    const id = (req.params as { id: string }).id;
    const record = /^[1-9][0-9]{0,15}$/.test(id) ? ctx.feed.get(Number(id)) : undefined;
    if (!record) throw new ServiceError("NotFound", `attestation \`${id}\` is not among the last ${ctx.feed.limit} this service kept`);
    return record;
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
