/**
 * The shipped `maa-policy` (the bundle behind `bin/maa-policy.mjs`, built by `npm test`'s
 * pretest) over its real interface: binary evidence piped on standard input is read as bytes, not
 * UTF-8 text, and the exit codes are the documented ones.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const repo = path.resolve(import.meta.dirname, "../..");
const bin = path.join(repo, "packages/cli/bin/maa-policy.mjs");
const fixtures = path.join(repo, "test/fixtures/evidence");

describe("maa-policy evidence, the process", () => {
  it("reads a raw quote from standard input as bytes and verifies it (exit 0)", () => {
    const quote = readFileSync(path.join(fixtures, "sgx/azsdk-debug.sgx-quote.bin"));
    const r = spawnSync(process.execPath, [bin, "evidence", "-", "--runtime-data", path.join(fixtures, "sgx/azsdk.runtime-data.bin"), "--at", "2021-04-17T00:37:40Z", "--format", "json"], { input: quote, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as { type: string; verified: boolean; checks: { id: string; status: string }[] };
    expect(json.type).toBe("SgxEnclave");
    expect(json.verified).toBe(true);
    expect(json.checks.find((c) => c.id === "sgx.runtime-data")?.status).toBe("passed");
  });

  it("refuses a tampered quote (exit 1) and reports a missing file (exit 2)", () => {
    const quote = new Uint8Array(readFileSync(path.join(fixtures, "sgx/azsdk-debug.sgx-quote.bin")));
    quote[100] = (quote[100] as number) ^ 0x80;
    const r = spawnSync(process.execPath, [bin, "evidence", "-", "--at", "2021-04-17T00:37:40Z"], { input: quote, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^<stdin>: SgxEnclave evidence: refused: Quote signature by the attestation key/);
    const missing = spawnSync(process.execPath, [bin, "evidence", "nope.bin"], { encoding: "utf8", cwd: fixtures });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe("maa-policy evidence: nope.bin: cannot read the evidence: no such file or directory\n");
  });
});
