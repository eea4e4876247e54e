/**
 * `maa-policy serve`: parses options and starts the local attestation service
 * (`@maa-policy/service`, which owns all I/O); `serve token` mints a bearer token;
 * `serve provider list|show|create|delete` drives the provider management API of a running service.
 */
import { EXIT, UsageError, type CliIo, type Command } from "../command.js";
import { parseCommandArgs } from "../util/args.js";
import { parseAt, usageOptionError } from "../util/evidence.js";

const USAGE = `Usage: maa-policy serve [options]
       maa-policy serve token --data-dir D --role reader|contributor|owner [--provider NAME] [--now ISO-TIME]
       maa-policy serve provider list|show NAME|create NAME|delete NAME [--url URL] [--data-dir D] [--signers PEM] [--attest-requires-auth]

Starts a local, offline Microsoft Azure Attestation service: MAA's data-plane REST API
(api-versions 2020-10-01, 2022-08-01, 2025-06-01 for TdxVm, and the 2018-09-01-preview
policy routes). Each provider NAME is served at SCHEME://HOST:PORT/NAME. On first start with an
empty data directory it creates an AAD provider \`aad\` and an isolated provider \`isolated\`
whose trusted signer (key and certificate) is written to the data directory.

Options:
  --port N                  port (default 8443; 8080 with --http; 0 for any free port)
  --host H                  address to bind (default 127.0.0.1)
  --data-dir D              where providers, keys and policies are kept
                            (default $XDG_DATA_HOME/maa-policy/service or ~/.local/share/maa-policy/service)
  --in-memory               keep nothing (tests)
  --http                    plain HTTP instead of HTTPS (the Azure SDKs send credentials only over HTTPS)
  --cert F --key F          your own TLS certificate and key (PEM); default a generated
                            self-signed certificate for localhost and 127.0.0.1 in the data directory
  --now ISO-TIME            freeze the clock (tokens and certificate checks)
  --provider NAME[=PEM]     create provider NAME if it does not exist: AAD, or isolated with the
                            trusted signers of PEM (repeatable)
  --body-limit BYTES        largest request body (default 1048576)
  --request-timeout MS      time allowed for a whole request (default 30000)
  -h, --help                show this help

serve token: prints a bearer token the service accepts (signed by the data directory's issuer key).
  --role reader|contributor|owner   Reader may read policies and signers; Contributor and Owner may write
  --provider NAME                   restrict the token to one provider
  --now ISO-TIME                    the token's issue time (when the service runs with --now)

serve provider: manages the providers of a running service (the local New-/Get-/Remove-AzAttestation).
  --url URL                 the service (default https://127.0.0.1:8443)
  --cacert F                the TLS certificate to trust (default the data directory's)
  --signers PEM             create an isolated provider trusting these signers
  --attest-requires-auth    attest needs a Reader token on the new provider
  --now ISO-TIME            the issue time of the request's token (a service started with --now)

Exit codes: 0 stopped cleanly, 2 usage error or start-up failure (port in use, unreadable file, corrupt state).`;

function parseNow(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : parseAt(value, usageOptionError, "now");
}

function parseInteger(option: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new UsageError(`--${option} must be an integer from ${min} to ${max} (got \`${value}\`)`);
  return Number(value);
}

async function tokenCommand(args: readonly string[], io: CliIo): Promise<number> {
  const service = await import("@maa-policy/service");
  const { values, positionals } = parseCommandArgs(args, {
    "data-dir": { type: "string" },
    role: { type: "string" },
    provider: { type: "string" },
    now: { type: "string" },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\``);
  if (!values.role) throw new UsageError("--role is required (reader, contributor or owner)");
  const role = service.parseRole(values.role);
  if (!role) throw new UsageError(`--role must be reader, contributor or owner (got \`${values.role}\`)`);
  const now = parseNow(values.now);
  const dataDir = values["data-dir"] ?? service.defaultDataDir(io.env);
  try {
    const token = await service.mintTokenForDataDir(dataDir.startsWith("/") ? dataDir : `${io.cwd}/${dataDir}`, role, {
      ...(values.provider ? { provider: values.provider } : {}),
      ...(now ? { now } : {}),
    });
    io.stdout(token + "\n");
    return EXIT.ok;
  } catch (e) {
    if (e instanceof service.StartupError) {
      io.stderr(`maa-policy serve token: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}

async function providerCommand(args: readonly string[], io: CliIo): Promise<number> {
  const service = await import("@maa-policy/service");
  const { values, positionals } = parseCommandArgs(args, {
    url: { type: "string" },
    "data-dir": { type: "string" },
    cacert: { type: "string" },
    signers: { type: "string" },
    "attest-requires-auth": { type: "boolean" },
    now: { type: "string" },
  });
  const now = parseNow(values.now);
  const [action, name, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument \`${extra[0]}\``);
  const needsName = action === "show" || action === "create" || action === "delete";
  if (action !== "list" && !needsName) throw new UsageError("serve provider: give list, show NAME, create NAME or delete NAME");
  if (needsName && !name) throw new UsageError(`serve provider ${action}: give the provider NAME`);
  const dataDirRaw = values["data-dir"] ?? service.defaultDataDir(io.env);
  const dataDir = dataDirRaw.startsWith("/") ? dataDirRaw : `${io.cwd}/${dataDirRaw}`;
  const client = { url: values.url ?? "https://127.0.0.1:8443", dataDir, ...(values.cacert ? { caFile: values.cacert } : {}), ...(now ? { now } : {}) };
  try {
    let res;
    if (action === "list") res = await service.managementRequest(client, "GET", "_providers");
    else if (action === "show") res = await service.managementRequest(client, "GET", `_providers/${name}`);
    else if (action === "delete") res = await service.managementRequest(client, "DELETE", `_providers/${name}`);
    else {
      let signersPem: string | undefined;
      if (values.signers) {
        const { readFile } = await import("node:fs/promises");
        const file = values.signers.startsWith("/") ? values.signers : `${io.cwd}/${values.signers}`;
        signersPem = await readFile(file, "utf8").catch(() => {
          throw new service.StartupError(`cannot read signer file ${file}`);
        });
      }
      res = await service.managementRequest(client, "PUT", `_providers/${name}`, {
        ...(signersPem ? { signersPem } : {}),
        ...(values["attest-requires-auth"] ? { attestRequiresAuth: true } : {}),
      });
    }
    if (res.status >= 400) {
      const err = (res.body as { error?: { code?: string; message?: string } } | null)?.error;
      io.stderr(`maa-policy serve provider ${action}: ${res.status} ${err?.code ?? ""}: ${err?.message ?? JSON.stringify(res.body)}\n`);
      return EXIT.failed;
    }
    if (action === "delete") io.stdout(`deleted provider ${name}\n`);
    else io.stdout(JSON.stringify(res.body, null, 2) + "\n");
    return EXIT.ok;
  } catch (e) {
    if (e instanceof service.StartupError) {
      io.stderr(`maa-policy serve provider: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}

export const serveCommand: Command = {
  name: "serve",
  usage: USAGE,

  async run(args: readonly string[], io: CliIo): Promise<number> {
    if (args[0] === "token") return tokenCommand(args.slice(1), io);
    if (args[0] === "provider") return providerCommand(args.slice(1), io);
    const { values, positionals } = parseCommandArgs(args, {
      port: { type: "string" },
      host: { type: "string" },
      "data-dir": { type: "string" },
      "in-memory": { type: "boolean" },
      http: { type: "boolean" },
      cert: { type: "string" },
      key: { type: "string" },
      now: { type: "string" },
      provider: { type: "string", multiple: true },
      "body-limit": { type: "string" },
      "request-timeout": { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.stdout(USAGE + "\n");
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\` (sub-commands: token, provider)`);
    if (values["in-memory"] && values["data-dir"]) throw new UsageError("--in-memory and --data-dir exclude each other");
    if (values.http && (values.cert || values.key)) throw new UsageError("--http and --cert/--key exclude each other");
    const port = parseInteger("port", values.port, 0, 65535);
    const bodyLimit = parseInteger("body-limit", values["body-limit"], 1024, 64 * 1024 * 1024);
    const requestTimeout = parseInteger("request-timeout", values["request-timeout"], 100, 3_600_000);
    const now = parseNow(values.now);
    const providers = (values.provider ?? []).map((p) => {
      const i = p.indexOf("=");
      return i < 0 ? { name: p } : { name: p.slice(0, i), signersFile: p.slice(i + 1) };
    });
    const service = await import("@maa-policy/service");
    let running;
    try {
      running = await service.startService({
        ...(values["data-dir"] ? { dataDir: values["data-dir"] } : {}),
        inMemory: values["in-memory"] === true,
        ...(values.host ? { host: values.host } : {}),
        ...(port !== undefined ? { port } : {}),
        http: values.http === true,
        ...(values.cert ? { certFile: values.cert } : {}),
        ...(values.key ? { keyFile: values.key } : {}),
        ...(now ? { now } : {}),
        providers,
        env: io.env,
        cwd: io.cwd,
        log: (line) => io.stderr(line + "\n"),
        ...(bodyLimit !== undefined ? { bodyLimit } : {}),
        ...(requestTimeout !== undefined ? { requestTimeout } : {}),
        handleSignals: true,
      });
    } catch (e) {
      if (e instanceof service.StartupError) {
        io.stderr(`maa-policy serve: ${e.message}\n`);
        return EXIT.usage;
      }
      throw e;
    }
    io.stdout(running.banner);
    await running.closed;
    io.stderr("maa-policy serve: stopped\n");
    return EXIT.ok;
  },
};
