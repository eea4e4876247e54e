/**
 * The `maa-policy` dispatcher and the syntax part of `check`: help, unknown commands, exit codes,
 * pretty and JSON output, standard input, unreadable files; and the built binary end to end.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runMaaPolicy } from "../support/cli.js";
import { ROOT, fixturePath } from "../support/fixtures.js";

const BROKEN = "version=1.0;\nauthorizationrules\n{\n    [type=\"x\"] => premit();\n};\n";

describe("maa-policy dispatcher", () => {
  it("prints the command list with --help and exits 0", async () => {
    const r = await runMaaPolicy(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: maa-policy <command>/);
    expect(r.stdout).toMatch(/\n  check /);
  });

  it("exits 2 without a command", async () => {
    expect((await runMaaPolicy([])).code).toBe(2);
  });

  it("rejects an unknown command with exit 2", async () => {
    const r = await runMaaPolicy(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command `frobnicate`");
  });

  it("rejects an unknown option with exit 2 and no stack trace", async () => {
    const r = await runMaaPolicy(["check", "--bogus", "x.policy"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bogus/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("maa-policy check (syntax)", () => {
  it("reports a mistake with file:line:col, code, message, source line and caret", async () => {
    const r = await runMaaPolicy(["check", "-"], { stdin: BROKEN });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("<stdin>:4:19: error P1007: unknown action `premit`: did you mean `permit`?");
    expect(r.stdout).toContain('4 |     [type="x"] => premit();');
    expect(r.stdout).toMatch(/\n {2}\| {19}\^{6}\n/);
    expect(r.stdout).toContain("<stdin>:4:10: error P1004");
  });

  it("prints LSP-style JSON", async () => {
    const r = await runMaaPolicy(["check", "--format", "json", "-"], { stdin: BROKEN });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as {
      files: { path: string; diagnostics: { code: string; severity: string; message: string; range: unknown; fixes: unknown[] }[] }[];
      summary: { errors: number; warnings: number };
    };
    expect(json.files[0]?.path).toBe("<stdin>");
    const premit = json.files[0]?.diagnostics.find((d) => d.code === "P1007");
    expect(premit?.range).toEqual({ start: { line: 3, character: 18 }, end: { line: 3, character: 24 } });
    expect(premit?.fixes).toEqual([
      { title: "replace with `permit`", edits: [{ range: { start: { line: 3, character: 18 }, end: { line: 3, character: 24 } }, newText: "permit" }] },
    ]);
    expect(json.summary.errors).toBeGreaterThanOrEqual(2);
  });

  it("exits 0 on a valid policy", async () => {
    const r = await runMaaPolicy(["check", fixturePath("parse", "ok", "0002-all-sections.policy")], { cwd: ROOT });
    expect(r.code).toBe(0);
  });

  it("exits 2 with a clear message for a missing file", async () => {
    const r = await runMaaPolicy(["check", "does-not-exist.policy"], { cwd: ROOT });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("does-not-exist.policy: no such file or directory");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 2 for a glob that matches nothing", async () => {
    const r = await runMaaPolicy(["check", "test/fixtures/nothing-here/*.policy"], { cwd: ROOT });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no file matches");
  });

  it("expands globs", async () => {
    const r = await runMaaPolicy(["check", "--format", "json", "test/fixtures/parse/ok/*.policy"], { cwd: ROOT });
    const json = JSON.parse(r.stdout) as { files: unknown[] };
    expect(json.files.length).toBeGreaterThanOrEqual(14);
  });
});

describe("the built maa-policy binary", () => {
  const bin = path.join(ROOT, "packages", "cli", "dist", "main.js");

  it("checks a file end to end with the documented exit codes", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "maa-cli-"));
    const bad = path.join(dir, "bad.policy");
    writeFileSync(bad, BROKEN);
    const r = spawnSync(process.execPath, [bin, "check", bad], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("P1007");
    const ok = execFileSync(process.execPath, [bin, "check", fixturePath("parse", "ok", "0001-minimal.policy")], { encoding: "utf8" });
    expect(ok).toMatch(/0 errors/);
    const unreadable = spawnSync(process.execPath, [bin, "check", dir], { encoding: "utf8" });
    expect(unreadable.status).toBe(1);
  });
});
