/**
 * docs/signing.md is a walk-through that must stay true: every ```sh block is run, in order, with
 * the real `openssl` and `bash` and the built `maa-policy` (packages/cli/dist; `npm run test:e2e`
 * builds it first). An end-to-end test because it drives programs from Debian's packages;
 * `scripts/e2e-preflight.mjs` names openssl when it is missing.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { verifyPolicyToken, verifySignerToken } from "@maa-policy/core";
import { ROOT } from "../support/fixtures.js";
import { nodeVerify } from "../jwt/support/certs.js";

const CLI = path.join(ROOT, "packages", "cli", "dist", "main.js");
const dir = mkdtempSync(path.join(tmpdir(), "maa-signing-doc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The ```sh blocks of a markdown text, in order. */
function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? "");
}

test("every shell command of docs/signing.md runs and does what the page says", async () => {
  expect(existsSync(CLI), `${CLI} is missing: build first with \`npx tsc -b\``).toBe(true);
  const blocks = shellBlocks(readFileSync(path.join(ROOT, "docs", "signing.md"), "utf8"));
  expect(blocks.length).toBeGreaterThanOrEqual(6);
  const script = `set -euo pipefail\nmaa-policy() { node ${JSON.stringify(CLI)} "$@"; }\n` + blocks.join("\n");
  const r = spawnSync("bash", ["-c", script], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  expect(r.stderr + r.stdout).not.toMatch(/internal error/);
  expect(r.status, r.stderr).toBe(0);
  // Step 3: verified, then rejected by a provider that trusts only signer2, and openssl agrees.
  expect(r.stdout).toContain("verified (isolated trust): signed policy token; signer: trusted `CN=Contoso Policy Signer 1`");
  expect(r.stdout).toContain("rejected with exit code 1");
  expect(r.stderr).toContain("P4009");
  expect(r.stdout).toContain("Verified OK");
  expect(r.stdout).toMatch(/x-ms-policy-hash: +[A-Za-z0-9_-]{43}\n/);
  // Step 4: the signer token names signer2.
  expect(r.stdout).toContain("certificate carried: `CN=Contoso Policy Signer 2`");

  // The files the walk-through made, checked independently.
  const read = (f: string) => readFileSync(path.join(dir, f), "utf8");
  const token = read("sgx.jwt").trim();
  expect(nodeVerify(token)).toBe(true);
  expect(await verifyPolicyToken(token, read("signer1.pem"), { trustModel: "isolated", now: new Date() })).toMatchObject({
    verified: true,
    text: read("sgx.policy"),
  });
  const signer = await verifySignerToken(read("add-signer2.jwt"), read("signer1.pem"), { now: new Date() });
  expect(signer.verified && signer.certificate.subject).toBe("CN=Contoso Policy Signer 2");
  const fingerprint = execFileSync("openssl", ["x509", "-in", "signer2.pem", "-noout", "-fingerprint", "-sha256"], { cwd: dir, encoding: "utf8" });
  expect(signer.verified && fingerprint.trim().endsWith(signer.certificate.thumbprintSha256)).toBe(true);
}, 180_000); // about ten CLI processes; generous for a loaded 2-core CI machine
