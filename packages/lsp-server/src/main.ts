#!/usr/bin/env node
/**
 * `maa-policy-lsp --stdio` (or `--node-ipc`, `--socket=N`): the language server process.
 *
 * The only side-effecting module of the package. In a worker thread (started by the server for
 * large documents) it runs the analysis worker instead. Nothing but protocol is written to
 * stdout: `console` output is redirected to the client's log.
 */
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { isMainThread } from "node:worker_threads";
import { ProposedFeatures, StreamMessageReader, StreamMessageWriter, createConnection, type Connection } from "vscode-languageserver/node.js";
import { runAnalysisWorker } from "./analysis-worker.js";
import { guardReader } from "./protocol-guard.js";
import { SERVER_INFO, startServer } from "./server.js";

/** This script's URL; in a CommonJS bundle (no `import.meta.url`), the script node was started with. */
function thisScript(): URL | undefined {
  try {
    return new URL(import.meta.url);
  } catch {
    return process.argv[1] ? pathToFileURL(process.argv[1]) : undefined;
  }
}

const USAGE = `Usage: maa-policy-lsp --stdio | --node-ipc | --socket=<port>

The Language Server Protocol server for MAA attestation policies.`;

if (!isMainThread) {
  runAnalysisWorker();
} else {
  const args = process.argv.slice(2);
  if (args.includes("--version")) {
    process.stdout.write(`${SERVER_INFO.name} ${SERVER_INFO.version}\n`);
  } else if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(USAGE + "\n");
  } else if (!args.some((a) => a === "--stdio" || a === "--node-ipc" || a.startsWith("--socket=") || a.startsWith("--pipe=") || a.startsWith("--clientProcessId"))) {
    process.stderr.write(`maa-policy-lsp: no transport given\n${USAGE}\n`);
    process.exitCode = 2;
  } else {
    let connection: Connection;
    if (args.includes("--stdio")) {
      const writer = new StreamMessageWriter(process.stdout);
      connection = createConnection(ProposedFeatures.all, guardReader(new StreamMessageReader(process.stdin), writer), writer);
    } else {
      connection = createConnection(ProposedFeatures.all);
    }
    // stdout is the JSON-RPC channel: route stray console output to the client's log instead.
    console.log = (...a: unknown[]) => connection.console.log(format(...a));
    console.info = (...a: unknown[]) => connection.console.info(format(...a));
    console.warn = (...a: unknown[]) => connection.console.warn(format(...a));
    console.error = (...a: unknown[]) => connection.console.error(format(...a));
    console.debug = (...a: unknown[]) => connection.console.log(format(...a));
    // A stray asynchronous error is a bug to report, not a reason to drop the user's session.
    process.on("uncaughtException", (e) => connection.console.error(`uncaught exception: ${e.stack ?? e.message}`));
    process.on("unhandledRejection", (e) => connection.console.error(`unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
    // Every document is analysed in the worker (this same script): the main thread stays free for requests.
    startServer(connection, { workerScript: thisScript(), workerThreshold: 0 });
  }
}
