/**
 * `maa-policy fmt`: printing, --check, --write (atomic, never on syntax errors), --diff, stdin,
 * options and usage errors; `--check` passes on the formatter's own output for every fixture.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { fixturePath, listFixtures } from "../support/fixtures.js";
import { runMaaPolicy } from "../support/cli.js";

const MESSY = "version=1.2;authorizationrules{[type==\"a\"]=>permit();};\n";
const TIDY = "version=1.2;\n\nauthorizationrules\n{\n    [type==\"a\"] => permit();\n};\n";
const BROKEN = "version=1.2;\nauthorizationrules\n{\n    [type=\"a\"] => permit();\n};\n";

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "maa-fmt-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe("maa-policy fmt", () => {
  test("prints the formatted policy of one file", async () => {
    const cwd = tempDir({ "a.policy": MESSY });
    const r = await runMaaPolicy(["fmt", "a.policy"], { cwd });
    expect(r).toEqual({ code: 0, stdout: TIDY, stderr: "" });
  });

  test("reads standard input with `-`", async () => {
    const r = await runMaaPolicy(["fmt", "-"], { stdin: MESSY });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(TIDY);
  });

  test("--check and --diff together on standard input", async () => {
    const r = await runMaaPolicy(["fmt", "--check", "--diff", "-"], { stdin: MESSY });
    expect(r.code).toBe(1);
    expect(r.stdout.startsWith("<stdin>\n--- a/<stdin>\n+++ b/<stdin>\n@@ -1,1 +1,6 @@\n")).toBe(true);
    const tidy = await runMaaPolicy(["fmt", "--check", "--diff", "-"], { stdin: TIDY });
    expect(tidy).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  test("--check lists the files that would change and exits 1; 0 when all are formatted", async () => {
    const cwd = tempDir({ "messy.policy": MESSY, "tidy.policy": TIDY });
    const r = await runMaaPolicy(["fmt", "--check", "messy.policy", "tidy.policy"], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("messy.policy\n");
    expect(r.stderr).toContain("1 file would be reformatted");
    const ok = await runMaaPolicy(["fmt", "--check", "tidy.policy"], { cwd });
    expect(ok).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  test("--write rewrites changed files in place and leaves no temporary file", async () => {
    const cwd = tempDir({ "messy.policy": MESSY, "tidy.policy": TIDY });
    const r = await runMaaPolicy(["fmt", "--write", "."], { cwd });
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(cwd, "messy.policy"), "utf8")).toBe(TIDY);
    expect(readFileSync(path.join(cwd, "tidy.policy"), "utf8")).toBe(TIDY);
    expect(readdirSync(cwd).sort()).toEqual(["messy.policy", "tidy.policy"]);
    expect(r.stderr).toContain("formatted 1 file");
  });

  test("a file with syntax errors is reported, never written, and fails", async () => {
    const cwd = tempDir({ "broken.policy": BROKEN, "messy.policy": MESSY });
    const r = await runMaaPolicy(["fmt", "--write", "broken.policy", "messy.policy"], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("broken.policy:4:10: error P1004");
    expect(r.stderr).toContain("broken.policy: not formatted");
    expect(readFileSync(path.join(cwd, "broken.policy"), "utf8")).toBe(BROKEN);
    expect(readFileSync(path.join(cwd, "messy.policy"), "utf8")).toBe(TIDY);
    const printed = await runMaaPolicy(["fmt", "broken.policy"], { cwd });
    expect(printed.code).toBe(1);
    expect(printed.stdout).toBe("");
  });

  test("--diff prints a unified diff and exits 1 when something would change", async () => {
    const cwd = tempDir({ "messy.policy": MESSY });
    const r = await runMaaPolicy(["fmt", "--diff", "messy.policy"], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        "--- a/messy.policy",
        "+++ b/messy.policy",
        "@@ -1,1 +1,6 @@",
        '-version=1.2;authorizationrules{[type=="a"]=>permit();};',
        "+version=1.2;",
        "+",
        "+authorizationrules",
        "+{",
        '+    [type=="a"] => permit();',
        "+};",
        "",
      ].join("\n"),
    );
    expect(readFileSync(path.join(cwd, "messy.policy"), "utf8")).toBe(MESSY);
  });

  test("--width, --indent and --end-of-line shape the output", async () => {
    const r = await runMaaPolicy(["fmt", "--indent", "tab", "--end-of-line", "crlf", "-"], { stdin: MESSY });
    expect(r.stdout).toBe(TIDY.replace(/ {4}/g, "\t").replace(/\n/g, "\r\n"));
    const two = await runMaaPolicy(["fmt", "--indent", "2", "--width", "20", "-"], { stdin: MESSY });
    expect(two.stdout).toBe('version=1.2;\n\nauthorizationrules\n{\n  [type=="a"]\n    => permit();\n};\n');
  });

  test.each([
    [["fmt"], "no policy file given"],
    [["fmt", "--width", "abc", "-"], "--width must be a whole number"],
    [["fmt", "--indent", "0", "-"], "--indent must be a number of spaces"],
    [["fmt", "--end-of-line", "cr", "-"], "--end-of-line must be one of"],
    [["fmt", "--write", "--check", "-"], "cannot be combined"],
    [["fmt", "--write", "-"], "cannot rewrite standard input"],
    [["fmt", "a.policy", "b.policy"], "give --write, --check or --diff"],
    [["fmt", "--bogus", "-"], "bogus"],
  ])("usage error: %j", async (args, message) => {
    const cwd = tempDir({ "a.policy": TIDY, "b.policy": TIDY });
    const r = await runMaaPolicy(args, { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test("a missing file is an I/O error (exit 2)", async () => {
    const cwd = tempDir({});
    const r = await runMaaPolicy(["fmt", "nope.policy"], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("nope.policy: no such file or directory");
  });

  test("--check passes on the formatter's own output for every fixture and real-world policy, in LF, CRLF and with a BOM", async () => {
    const dirs = [fixturePath("format"), fixturePath("format", "real-world")];
    const files: Record<string, string> = {};
    for (const dir of dirs) {
      for (const name of listFixtures(dir, ".policy").filter((f) => !f.endsWith(".formatted.policy"))) {
        const input = readFileSync(path.join(dir, name), "utf8");
        files[name] = input;
        files[`crlf-${name}`] = input.replace(/\r?\n/g, "\r\n");
        files[`bom-${name}`] = "\uFEFF" + input;
      }
    }
    const cwd = tempDir(files);
    const write = await runMaaPolicy(["fmt", "--write", "."], { cwd });
    expect(write.code).toBe(0);
    const check = await runMaaPolicy(["fmt", "--check", "."], { cwd });
    expect(check).toEqual({ code: 0, stdout: "", stderr: "" });
    for (const name of Object.keys(files).filter((n) => n.startsWith("bom-"))) {
      expect(readFileSync(path.join(cwd, name), "utf8").charCodeAt(0)).toBe(0xfeff);
    }
  });
});
