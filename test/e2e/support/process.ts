/** Waiting for an editor run headless by an e2e suite. */
import type { ChildProcess } from "node:child_process";

/** The exit code of `child`, or an error naming `what` and the output so far (`output()`) if it runs past `ms`. */
export function exitCode(child: ChildProcess, what: string, ms: number, output: () => string): Promise<number | null> {
  return new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms / 1000} s: ${output()}`)), ms);
    child.on("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
