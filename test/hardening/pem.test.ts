/**
 * Issue 17, item 7: PEM files are read in one pass. A signers file of repeated `BEGIN` lines
 * took seconds (a regular expression retried the rest of the file from each line) and ended in
 * "no certificate found"; it is now refused at once, naming the line of the unterminated block.
 * The time itself is measured by `npm run bench:fuzz` (its scaling table), not here.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { verifyPolicyToken } from "@maa-policy/core";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/fixtures.js";

const vectors = path.join(ROOT, "test/fixtures/jwt/vectors");
const signers = readFileSync(path.join(vectors, "trusted-signers.pem"), "utf8");
const token = readFileSync(path.join(vectors, "signed-policy.jwt"), "utf8").trim();
const now = new Date("2026-01-01T00:00:00Z");

describe("reading PEM (item 7)", () => {
  it("refuses a BEGIN line without its END, naming the line", async () => {
    const r = await verifyPolicyToken(token, "-----BEGIN CERTIFICATE-----\n".repeat(20_000), { trustModel: "isolated", now });
    expect(r).toEqual({ verified: false, code: "P4016", message: "trusted signers: line 1: `-----BEGIN CERTIFICATE-----` without its `-----END CERTIFICATE-----`" });
    const after = await verifyPolicyToken(token, `${signers}\n# a note\n-----BEGIN CERTIFICATE-----\nAAAA\n`, { trustModel: "isolated", now });
    expect(after).toMatchObject({ verified: false, code: "P4016", message: expect.stringMatching(/^trusted signers: line \d+: `-----BEGIN CERTIFICATE-----` without/) });
  });

  it("still reads certificates among other blocks and text, including blocks of other labels left open", async () => {
    const mixed = `subject=CN = MaaTestCert1\n${"-----BEGIN OTHER THING-----\n".repeat(5000)}${signers}`;
    expect(await verifyPolicyToken(token, mixed, { trustModel: "isolated", now })).toMatchObject({ verified: true });
    expect(await verifyPolicyToken(token, `${signers}${signers}`, { trustModel: "isolated", now })).toMatchObject({ verified: true });
  });

  it("a signers file with no certificate is still P4022", async () => {
    expect(await verifyPolicyToken(token, "no certificate here\n", { trustModel: "isolated", now })).toMatchObject({ verified: false, code: "P4022" });
  });
});
