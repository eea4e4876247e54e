/**
 * The token commands in-process: pack, unpack, verify (policy and signer tokens), signer-token and
 * hash, on the documentation vectors and on freshly generated keys.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runMaaPolicy } from "../support/cli.js";
import { nodeDecode, nodeVerify } from "./support/certs.js";
import { signers, type Signers } from "./support/fixtures.js";

const POLICY = 'version=1.0;\nauthorizationrules\n{\n    c:[type=="x-ms-sgx-is-debuggable", value==false] => permit();\n};\n';
let dir: string;
let s: Signers;
const vectors = new URL("../fixtures/jwt/vectors/", import.meta.url);
const realWorld = new URL("../fixtures/real-world/", import.meta.url);
const run = (...args: string[]) => runMaaPolicy(args, { cwd: dir });

beforeAll(async () => {
  s = await signers();
  dir = mkdtempSync(path.join(tmpdir(), "maa-cli-jwt-"));
  const write = (name: string, text: string) => writeFileSync(path.join(dir, name), text);
  write("p.policy", POLICY);
  write("broken.policy", "version=1.0;\nauthorizationrules { => premit(); };\n");
  write("key.pem", s.rsa.keyPem);
  write("key-pkcs1.pem", s.rsa.traditionalKeyPem);
  write("cert.pem", s.rsa.certPem);
  write("other.pem", s.stranger.certPem);
  write("other-key.pem", s.stranger.keyPem);
  write("ec-key.pem", s.ec.keyPem);
  write("ec.pem", s.ec.certPem);
  for (const f of ["signed-policy.jwt", "unsigned-policy.jwt", "policy-signer.jwt", "trusted-signers.pem"]) {
    copyFileSync(new URL(f, vectors), path.join(dir, f));
  }
  copyFileSync(new URL("58-service-default-openenclave-2021.policy", realWorld), path.join(dir, "58.policy"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("pack", () => {
  test("unsigned by default; the token unpacks to the file's text", async () => {
    const r = await run("pack", "p.policy");
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(/^eyJhbGciOiJub25lIn0\.[A-Za-z0-9_-]+\.\n$/);
    writeFileSync(path.join(dir, "p.jwt"), r.stdout);
    const u = await run("unpack", "p.jwt", "--text");
    expect(u).toMatchObject({ code: 0, stdout: POLICY });
  });
  test("signed with --key/--cert (PKCS#1 too): RS256, x5c, node:crypto verifies", async () => {
    const a = await run("pack", "p.policy", "--key", "key.pem", "--cert", "cert.pem");
    const b = await run("pack", "p.policy", "--key", "key-pkcs1.pem", "--cert", "cert.pem");
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(nodeDecode(a.stdout.trim()).header["alg"]).toBe("RS256");
    expect(nodeVerify(a.stdout.trim())).toBe(true);
  });
  test("--alg PS256 warns; an EC key signs ES256 with a warning", async () => {
    const ps = await run("pack", "p.policy", "--key", "key.pem", "--cert", "cert.pem", "--alg", "PS256");
    expect(ps.code).toBe(0);
    expect(ps.stderr).toContain("warning P4020");
    const ec = await run("pack", "p.policy", "--key", "ec-key.pem", "--cert", "ec.pem");
    expect(ec.code).toBe(0);
    expect(nodeDecode(ec.stdout.trim()).header["alg"]).toBe("ES256");
  });
  test("a policy with errors is refused unless --force", async () => {
    const r = await run("pack", "broken.policy");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("--force");
    const f = await run("pack", "broken.policy", "--force");
    expect(f.code).toBe(0);
    expect(f.stdout).toMatch(/^eyJhbGciOiJub25lIn0\./);
  });
  test("a key that does not match the certificate: exit 1 with P4018; usage mistakes: exit 2", async () => {
    const r = await run("pack", "p.policy", "--key", "key.pem", "--cert", "other.pem");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error P4018");
    expect((await run("pack", "p.policy", "--key", "key.pem")).code).toBe(2);
    expect((await run("pack", "p.policy", "--alg", "RS256")).code).toBe(2);
    expect((await run("pack")).code).toBe(2);
    const missing = await run("pack", "nope.policy");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.policy");
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("unpack", () => {
  test("the signed vector: header, signed, raw form, text, hashes (JSON)", async () => {
    const r = await run("unpack", "signed-policy.jwt", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(j).toMatchObject({ kind: "policy", signed: true, payloadForm: "raw", header: { alg: "RS256" } });
    expect(j["text"]).toContain("$tee-future");
    expect(j["policyHash"]).toBe("69ea9LdNDrhDW-J5s23cYb0dwxkZmXpsKaXxvN56Rnk");
    expect(typeof j["policyTokenHash"]).toBe("string");
  });
  test("pretty output names every field; stdin and a literal token work", async () => {
    const r = await run("unpack", "unsigned-policy.jwt");
    expect(r.stdout).toMatch(/kind: +policy token\nheader: +\{"alg":"none"\}\nsigned: +no/);
    expect(r.stdout).toContain("policy hash:   egjnANIzEpS2WgpE4Nk-QEwM69XRCgTs42_G0qLlbnk");
    const token = (await run("pack", "p.policy")).stdout;
    expect((await runMaaPolicy(["unpack", "-", "--text"], { cwd: dir, stdin: token })).stdout).toBe(POLICY);
    expect((await run("unpack", token.trim(), "--text")).stdout).toBe(POLICY);
    expect((await run("unpack", "eyJhbGciOiJub25lIn0..")).stdout).toContain("reset token");
  });
  test("a policy text, a signer token and garbage get their own codes, exit 1", async () => {
    expect(await run("unpack", "p.policy")).toMatchObject({ code: 1, stderr: expect.stringContaining("P4001") });
    expect(await run("unpack", "policy-signer.jwt")).toMatchObject({ code: 1, stderr: expect.stringContaining("P4003") });
    expect(await run("unpack", "a.b")).toMatchObject({ code: 2 });
  });
});

describe("verify", () => {
  test("the signed vector verifies under isolated trust (exit 0)", async () => {
    const r = await run("verify", "signed-policy.jwt", "--signers", "trusted-signers.pem", "--at", "2026-01-01T00:00:00Z");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("signer: trusted `CN=MaaTestCert1`");
  });
  test("the unsigned vector: rejected under isolated trust (exit 1, P4004), verified under aad", async () => {
    const r = await run("verify", "unsigned-policy.jwt", "--signers", "trusted-signers.pem");
    expect(r).toMatchObject({ code: 1, stderr: expect.stringContaining("P4004") });
    expect((await run("verify", "unsigned-policy.jwt", "--trust-model", "aad")).code).toBe(0);
  });
  test("the signer vector: verified, shows MaaTestCert2 and its fingerprint (JSON)", async () => {
    const r = await run("verify", "policy-signer.jwt", "--signers", "trusted-signers.pem", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { kind: string; certificate: { subject: string; thumbprintSha256: string; pem: string } };
    expect(j.kind).toBe("signer");
    expect(j.certificate.subject).toBe("CN=MaaTestCert2");
    expect(j.certificate.thumbprintSha256).toBe("FD:CC:49:85:23:19:2B:67:36:6E:81:72:09:DB:EE:2F:33:BB:F1:3D:7D:34:55:CF:97:20:AA:25:D8:F2:57:0B");
  });
  test("fresh keys: a signed token verifies with its signer, is rejected with another (P4009), and when expired (P4010)", async () => {
    const token = (await run("pack", "p.policy", "--key", "key.pem", "--cert", "cert.pem")).stdout;
    writeFileSync(path.join(dir, "signed.jwt"), token);
    expect((await run("verify", "signed.jwt", "--signers", "cert.pem")).code).toBe(0);
    expect(await run("verify", "signed.jwt", "--signers", "other.pem")).toMatchObject({ code: 1, stderr: expect.stringContaining("P4009") });
    expect(await run("verify", "signed.jwt", "--signers", "cert.pem", "--at", "2199-01-01T00:00:00Z")).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("P4010"),
    });
    const json = JSON.parse((await run("verify", "signed.jwt", "--signers", "other.pem", "--json")).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ verified: false, code: "P4009" });
  });
  test("usage: no --signers under isolated trust, a bad --trust-model or --at: exit 2", async () => {
    expect((await run("verify", "signed-policy.jwt")).code).toBe(2);
    expect((await run("verify", "signed-policy.jwt", "--signers", "trusted-signers.pem", "--trust-model", "open")).code).toBe(2);
    expect((await run("verify", "signed-policy.jwt", "--signers", "trusted-signers.pem", "--at", "yesterday")).code).toBe(2);
  });
});

describe("signer-token", () => {
  test("adds a second certificate; verify shows it; every claim name", async () => {
    for (const claim of ["policyCertificate", "maa-policyCertificate", "aas-policyCertificate"]) {
      const r = await run("signer-token", "--add", "other.pem", "--key", "key.pem", "--cert", "cert.pem", "--claim-name", claim);
      expect(r.code).toBe(0);
      expect(nodeVerify(r.stdout.trim())).toBe(true);
      expect(Object.keys(nodeDecode(r.stdout.trim()).payload ?? {})).toEqual([claim]);
      writeFileSync(path.join(dir, "signer.jwt"), r.stdout);
      const v = await run("verify", "signer.jwt", "--signers", "cert.pem");
      expect(v.code).toBe(0);
      expect(v.stdout).toContain("certificate carried: `CN=Stranger`");
    }
    expect((await run("signer-token", "--add", "other.pem", "--key", "key.pem", "--cert", "cert.pem", "--claim-name", "x")).code).toBe(2);
    expect((await run("signer-token", "--add", "other.pem")).code).toBe(2);
    expect(await run("signer-token", "--add", "other.pem", "--key", "other-key.pem", "--cert", "cert.pem")).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("P4018"),
    });
  });
});

describe("hash", () => {
  test("a policy file: the verified x-ms-policy-hash of policy 58", async () => {
    expect(await run("hash", "58.policy")).toMatchObject({ code: 0, stdout: "x-ms-policy-hash:       bROrN897ZfWmWY2V0FLUlu3uwk5xatGnKYHn3zBbSlw\n" });
  });
  test("a token: both hashes; JSON", async () => {
    const r = await run("hash", "unsigned-policy.jwt", "--json");
    const j = JSON.parse(r.stdout) as Record<string, string>;
    expect(j["policyHash"]).toBe("egjnANIzEpS2WgpE4Nk-QEwM69XRCgTs42_G0qLlbnk");
    expect(j["policyTokenHash"]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await run("hash", "policy-signer.jwt")).code).toBe(1);
  });
});
