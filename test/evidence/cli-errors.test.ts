/**
 * `maa-policy evidence` and `maa-policy eval --evidence` on user mistakes: bad options, missing
 * files, the wrong type, garbage and truncated input. Every one gets a clear message naming the
 * option, the file or the byte offset, the documented exit code (2 usage or I/O, 1 refused), and
 * never a stack trace.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { runMaaPolicy, type CliRun } from "../support/cli.js";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/evidence");
const QUOTE = "sgx/azsdk-debug.sgx-quote.bin";
const RUNTIME = "sgx/azsdk.runtime-data.bin";
const AT = "2021-04-17T00:37:40Z";
const run = (args: string[], stdin?: string | Uint8Array) => runMaaPolicy(args, { cwd: fixtures, ...(stdin !== undefined ? { stdin } : {}) });

function noStackTrace(r: CliRun): void {
  expect(r.stderr + r.stdout).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(r.stderr).not.toMatch(/internal error/);
}

describe("usage errors exit 2 with the option named", () => {
  test.each([
    [["evidence"], /no evidence file given/],
    [["evidence", QUOTE, RUNTIME], /one evidence file at a time/],
    [["evidence", QUOTE, "--type", "Tpm"], /--type: must be one of SgxEnclave, OpenEnclave, SevSnpVm, TdxVm \(got `Tpm`\)/],
    [["evidence", QUOTE, "--runtime-data-type", "text"], /--runtime-data-type: must be `binary` or `json` \(got `text`\)/],
    [["evidence", QUOTE, "--init-time-data-type", "xml"], /--init-time-data-type: must be `binary` or `json`/],
    [["evidence", QUOTE, "--at", "yesterday"], /--at: `yesterday` is not an ISO 8601 time/],
    [["evidence", QUOTE, "--at", "2021-04-17T00:37:40"], /a time needs Z or an offset/],
    [["evidence", QUOTE, "--at", "2021-13-45"], /--at: `2021-13-45` is not a valid date/],
    [["evidence", QUOTE, "--nonce", ""], /--nonce: must not be empty/],
    [["evidence", QUOTE, "--format", "xml"], /--format must be one of pretty, json/],
    [["evidence", QUOTE, "--bogus"], /Unknown option '--bogus'/],
    [["evidence", "-", "--runtime-data", "-"], /--runtime-data: standard input can hold only one file \(it is already the evidence\)/],
    [["eval", "../real-world/58-service-default-openenclave-2021.policy", "--evidence", QUOTE, "--claims", "x.json"], /give one of --claims, --claims-from-token and --evidence \(got --claims and --evidence\)/],
    [["eval", "../real-world/58-service-default-openenclave-2021.policy", "--claims", "x.json", "--runtime-data", RUNTIME], /the evidence options .* need --evidence <file>/],
    [["eval", "--evidence", QUOTE, "--type", "SgxEnclave", "--at", AT], /no policy file given, and sgx\/azsdk-debug.sgx-quote.bin holds no draftPolicyForAttestation/],
    [["eval", "-", "--evidence", QUOTE, "--runtime-data", "-"], /standard input cannot hold both the policy and an evidence option's file/],
    [["eval", "-", "--evidence", "-"], /standard input cannot hold both the policy and the claims/],
  ])("%j", async (args, message) => {
    const r = await run(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
    noStackTrace(r);
  });
});

describe("I/O errors exit 2 with the file named", () => {
  test.each([
    [["evidence", "no-such-quote.bin"], /no-such-quote\.bin: cannot read the evidence: no such file or directory/],
    [["evidence", QUOTE, "--runtime-data", "missing.bin"], /missing\.bin: cannot read the runtime data: no such file or directory/],
    [["evidence", QUOTE, "--init-time-data", "missing.bin"], /missing\.bin: cannot read the init-time data: no such file or directory/],
    [["evidence", QUOTE, "--collateral", "missing.json"], /missing\.json: cannot read the collateral: no such file or directory/],
    [["evidence", "sgx"], /sgx: cannot read the evidence: is a directory/],
    [["eval", "missing.policy", "--evidence", QUOTE], /missing\.policy: cannot read: no such file or directory/],
  ])("%j", async (args, message) => {
    const r = await run(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    noStackTrace(r);
  });

  test("an empty evidence file is an input error", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "maa-evidence-"));
    writeFileSync(path.join(dir, "empty.bin"), "");
    const r = await runMaaPolicy(["evidence", "empty.bin"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/empty\.bin: the evidence file is empty/);
  });
});

describe("refused evidence exits 1 with the reason", () => {
  test("garbage bytes are refused with a diagnostic naming an offset, not a crash", async () => {
    const garbage = new Uint8Array(200).map((_, i) => (i * 37 + 11) & 0xff);
    const r = await run(["evidence", "-", "--type", "SgxEnclave", "--at", AT], garbage);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/SgxEnclave evidence: refused/);
    expect(r.stdout).toMatch(/bytes \d+\.\.\d+: error P5\d{3}: .*offset \d+/);
    noStackTrace(r);
  });

  test("a truncated quote names the field and the offset", async () => {
    const quote = readFileSync(path.join(fixtures, QUOTE)).subarray(0, 434);
    const r = await run(["evidence", "-", "--type", "SgxEnclave", "--at", AT], new Uint8Array(quote));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/signature_data_len.*offset 432/);
    noStackTrace(r);
  });

  test("the wrong type is refused, not misread", async () => {
    const r = await run(["evidence", QUOTE, "--type", "SevSnpVm", "--at", AT]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/SevSnpVm evidence: refused/);
    noStackTrace(r);
  });

  test("wrong runtime data is refused, and eval does not evaluate", async () => {
    const wrong = "snp/restspec-2022.runtime-data.json";
    const r = await run(["evidence", QUOTE, "--type", "SgxEnclave", "--runtime-data", wrong, "--at", AT]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED/);
    const e = await run(["eval", "../real-world/58-service-default-openenclave-2021.policy", "--evidence", QUOTE, "--type", "SgxEnclave", "--runtime-data", wrong, "--at", AT]);
    expect(e.code).toBe(1);
    expect(e.stdout).toMatch(/the evidence was refused: the attestation service would not evaluate/);
    expect(e.stdout).not.toMatch(/decision:/);
    const j = await run(["eval", "../real-world/58-service-default-openenclave-2021.policy", "--evidence", QUOTE, "--type", "SgxEnclave", "--runtime-data", wrong, "--at", AT, "--format", "json"]);
    expect(j.code).toBe(1);
    const json = JSON.parse(j.stdout) as { decision: string; evidence: { verified: boolean }; attestationToken: unknown };
    expect(json.decision).toBe("error");
    expect(json.evidence.verified).toBe(false);
    expect(json.attestationToken).toBeNull();
  });

  test("an expired PCK certificate at --at is refused", async () => {
    const r = await run(["evidence", "sgx/restspec-2020.sgx-quote.bin", "--type", "SgxEnclave", "--runtime-data", "sgx/restspec-2020.runtime-data.bin", "--at", "2026-12-01T00:00:00Z"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED/);
    expect(r.stdout).toMatch(/expired|not valid|validity/i);
  });
});

describe("the front end never crashes", () => {
  test("on any bytes, any declared type: a verdict and exit 0 or 1, never an internal error", async () => {
    const types = ["SgxEnclave", "OpenEnclave", "SevSnpVm", "TdxVm"];
    const quote = new Uint8Array(readFileSync(path.join(fixtures, QUOTE)));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 3000 }),
          fc.tuple(fc.nat({ max: quote.length - 1 }), fc.nat({ max: 255 })).map(([i, v]) => {
            const b = new Uint8Array(quote);
            b[i] = v;
            return b;
          }),
          fc.nat({ max: quote.length }).map((n) => quote.subarray(0, n)),
        ),
        fc.constantFrom(...types),
        fc.constantFrom("pretty", "json"),
        async (bytes, type, format) => {
          const r = await run(["evidence", "-", "--type", type, "--at", AT, "--format", format], bytes);
          if (bytes.length === 0) expect(r.code).toBe(2);
          else {
            expect([0, 1]).toContain(r.code);
            if (format === "json") expect(typeof (JSON.parse(r.stdout) as { verified: boolean }).verified).toBe("boolean");
            else expect(r.stdout).toMatch(new RegExp(`^<stdin>: ${type} evidence: (verified|refused)`));
          }
          noStackTrace(r);
        },
      ),
      { numRuns: 60 },
    );
  });

  test("one changed byte in the signed header and body of a quote refuses it, naming the quote signature", async () => {
    const quote = new Uint8Array(readFileSync(path.join(fixtures, QUOTE)));
    for (const i of [0x30, 0x70, 0x100, 0x1a0]) {
      const b = new Uint8Array(quote);
      b[i] = (b[i] as number) ^ 0x01;
      const r = await run(["evidence", "-", "--type", "SgxEnclave", "--at", AT, "--format", "json"], b);
      expect(r.code).toBe(1);
      const checks = (JSON.parse(r.stdout) as { checks: { id: string; status: string; code?: string }[] }).checks;
      expect(checks.find((c) => c.id === "sgx.quote-signature")).toMatchObject({ status: "failed", code: "P5010" });
    }
  });
});
