/**
 * A third real client: Emacs (Debian's `emacs-nox`, with `elpa-eglot`, installed by
 * `.ci/setup-extra`) runs eglot in batch mode against the built server (test/e2e/support/eglot.el)
 * and reports flymake's diagnostics, a completion, a hover and the buffer eglot formatted. Fails,
 * never skips, when `emacs` or eglot is missing.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { exitCode } from "./support/process.js";

const MAIN = fileURLToPath(new URL("../../packages/lsp-server/dist/main.js", import.meta.url));
const CLI = fileURLToPath(new URL("../../packages/cli/dist/main.js", import.meta.url));
const SCRIPT = fileURLToPath(new URL("./support/eglot.el", import.meta.url));

// An unknown action (P1007, line 4) and a claim type with a trailing space (P2022, line 5); line 5
// is not formatted.
const POLICY = `version=1.2;
authorizationrules
{
    c:[type=="x-ms-sgx-is-debuggable", value==false] => premit();
    c:[type=="x-ms-sgx-svn "]=>permit();
};
`;

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  child = undefined;
});

interface EmacsResult {
  readonly error?: string;
  readonly server: string;
  readonly diagnostics: { line: number; column: number; type: string; text: string }[];
  readonly completion: string[];
  readonly hover: string;
  readonly formatted: string;
}

describe("Emacs with eglot as the client", () => {
  it("shows diagnostics, completes a claim type, hovers and formats", async () => {
    const which = spawnSync("emacs", ["--version"], { encoding: "utf8" });
    expect(which.error, "emacs is not installed: run .ci/setup-extra (apt-get install emacs-nox elpa-eglot)").toBeUndefined();
    expect(existsSync(MAIN), `${MAIN} is missing: build with npx tsc -b`).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), "maa-emacs-"));
    const policy = join(dir, "sgx.policy");
    writeFileSync(policy, POLICY);
    const out = join(dir, "out.json");
    child = spawn("emacs", ["--batch", "-q", "-l", SCRIPT], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        HOME: dir,
        MAA_EMACS_OUT: out,
        MAA_POLICY: policy,
        MAA_NODE: process.execPath,
        MAA_LSP_MAIN: MAIN,
        // Inside the claim type of line 5, right after its opening quote; on the claim type of line 4.
        MAA_COMPLETE_LINE: "5",
        MAA_COMPLETE_COLUMN: "15",
        MAA_HOVER_LINE: "4",
        MAA_HOVER_COLUMN: "20",
      },
    });
    let log = "";
    child.stdout?.on("data", (b: Buffer) => (log += b.toString()));
    child.stderr?.on("data", (b: Buffer) => (log += b.toString()));
    const code = await exitCode(child, "emacs", 90_000, () => log);
    expect(code, log).toBe(0);
    expect(existsSync(out), log).toBe(true);
    const result = JSON.parse(readFileSync(out, "utf8")) as EmacsResult;
    expect(result.error, log).toBeUndefined();
    expect(result.server).toBe("maa-policy-lsp");

    // Diagnostics, as flymake shows them (1-based lines, 0-based columns).
    expect(result.diagnostics).toContainEqual({ line: 4, column: 56, type: "eglot-error", text: "maa-policy [P1007]: unknown action `premit`: did you mean `permit`?" });
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ line: 5, column: 13, type: "eglot-warning", text: expect.stringContaining("[P2022]") }));

    // Completion of a claim type: the SGX claims, none of another attestation type.
    expect(result.completion).toEqual(expect.arrayContaining(["x-ms-sgx-mrsigner", "x-ms-sgx-svn", "x-ms-sgx-is-debuggable"]));
    expect(result.completion).not.toContain("secureBootEnabled");

    // Hover: the claim's documentation.
    expect(result.hover).toContain("`x-ms-sgx-is-debuggable`");
    expect(result.hover).toMatch(/debugging enabled/);

    // Formatting: what `maa-policy fmt` prints for the corrected policy, indented as Emacs indents
    // (`indent-tabs-mode` is on by default, so eglot asks for tabs).
    const corrected = join(dir, "corrected.policy");
    writeFileSync(corrected, POLICY.replace("premit", "permit"));
    const expected = execFileSync(process.execPath, [CLI, "fmt", "--indent", "tab", corrected], { encoding: "utf8" });
    expect(expected).not.toBe(POLICY.replace("premit", "permit"));
    expect(result.formatted).toBe(expected);
  }, 120_000);
});
