/** Test support: the real `maa-policy serve` process (the built CLI), started and read. */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../../cli/bin/maa-policy.mjs", import.meta.url));

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly port: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `maa-policy serve ARGS` and waits for its banner; rejects with the output when it exits first. */
export function serveProcess(args: readonly string[], timeoutMs = 150_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, "serve", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner after ${timeoutMs} ms: ${out}${err}`)), timeoutMs);
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (https?:\/\/[^\s]+:(\d+))/.exec(out);
      if (m && out.includes("Providers:")) {
        clearTimeout(timer);
        resolve({ child, url: m[1] as string, port: Number(m[2]), stdout: () => out, stderr: () => err, exited });
      }
    });
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    void exited.then((e) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`exited (${e.code ?? e.signal}) before listening: ${err}`), { code: e.code, stderr: err, stdout: out }));
    });
  });
}

/** Runs `maa-policy ARGS` to completion. */
export function runCliProcess(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}
