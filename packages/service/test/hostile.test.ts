/**
 * Hostile input: malformed JSON, huge bodies, wrong content types, invalid base64, bad JWS in every
 * field, unknown routes and api-versions, slow clients. Each is a 4xx with the error body, the
 * service keeps serving, and nothing is written to the data directory.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSignerToken } from "@maa-policy/core";
import { startService, type RunningService } from "@maa-policy/service";
import { MINIMAL, V, call, makeSigner, poolKey, signed, unsigned, type Signer } from "./support/service.js";

// Key generation and process start-up are slow when the machine is loaded (the whole suite runs in parallel).
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

let s: RunningService;
let dir: string;
let token: string;
let signer: Signer;

function snapshot(): string {
  const h = createHash("sha256");
  const providers = path.join(dir, "providers");
  for (const f of readdirSync(providers).sort()) h.update(f).update(readFileSync(path.join(providers, f)));
  return h.digest("hex");
}

const b64 = (o: unknown) => Buffer.from(typeof o === "string" ? o : JSON.stringify(o)).toString("base64url");

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "maa-hostile-"));
  s = await startService({ dataDir: dir, port: 0, http: true, requestTimeout: 1500, bodyLimit: 256 * 1024, generateKey: poolKey });
  token = await s.mintToken("Owner");
  signer = await makeSigner("hostile signer");
  await s.providers.create({ name: "hiso", trustModel: "isolated", signers: [signer.der] });
});
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function expectRefused(method: string, p: string, body: string | Buffer | undefined, contentType: string | undefined, status?: number): Promise<void> {
  const before = snapshot();
  const r = await call(s, method, p, { token, ...(body !== undefined ? { body, contentType: contentType ?? "application/json" } : {}) });
  expect(r.status, `${method} ${p}: ${r.text}`).toBeGreaterThanOrEqual(400);
  expect(r.status).toBeLessThan(500);
  if (status) expect(r.status).toBe(status);
  expect(Object.keys(r.json.error)).toEqual(["code", "message", "innererror"]);
  expect(typeof r.json.error.message).toBe("string");
  expect(r.json.error.message).not.toMatch(/\n\s+at /);
  expect(snapshot()).toBe(before);
  expect((await call(s, "GET", "/aad/certs")).status).toBe(200);
}

describe("hostile input", () => {
  it("malformed JSON, with its line and column", async () => {
    const r = await call(s, "POST", `/aad/attest/SgxEnclave?${V}`, { body: '{\n  "quote": "AAAA",\n  oops\n}' });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/line 3, column 3/);
    for (const body of ["{", "[1,", '{"quote": }', "\u0000\u0001", "{}}"]) {
      await expectRefused("POST", `/aad/attest/SgxEnclave?${V}`, body, "application/json", 400);
      await expectRefused("PUT", `/aad/policies/SgxEnclave?${V}`, body, "application/json", 400);
    }
  });

  it("schema violations: wrong types, missing evidence, bad dataType", async () => {
    for (const body of [[], "\"text\"", 42, { quote: 42 }, {}, { quote: "AAAA", runtimeData: { data: 1 } }, { quote: "AAAA", runtimeData: { data: "AA", dataType: "XML" } }, { report: "" }]) {
      await expectRefused("POST", `/aad/attest/SgxEnclave?${V}`, JSON.stringify(body), "application/json", 400);
    }
    // Empty evidence is named, for each type and the field it sends.
    for (const [type, field] of [["SgxEnclave", "quote"], ["OpenEnclave", "report"], ["SevSnpVm", "report"], ["TdxVm", "quote"]] as const) {
      const r = await call(s, "POST", `/aad/attest/${type}?api-version=2025-06-01`, { token, body: JSON.stringify({ [field]: "" }) });
      expect(r.status, r.text).toBe(400);
      expect(r.json.error).toMatchObject({ code: "InvalidParameter", message: `\`${field}\` is empty (the evidence of ${type})` });
    }
  });

  it("a huge body is 413, and wrong content types are 415", async () => {
    await expectRefused("PUT", `/aad/policies/SgxEnclave?${V}`, "e".repeat(300 * 1024), "text/plain", 413);
    await expectRefused("POST", `/aad/attest/SgxEnclave?${V}`, JSON.stringify({ quote: "A".repeat(300 * 1024) }), "application/json", 413);
    for (const ct of ["application/xml", "multipart/form-data; boundary=x", "application/octet-stream", "image/png"]) {
      await expectRefused("PUT", `/aad/policies/SgxEnclave?${V}`, await unsigned(MINIMAL), ct, 415);
    }
  });

  it("invalid base64url in the evidence and in runtime/init-time data", async () => {
    for (const body of [{ quote: "not base64!" }, { quote: "AAAAA" }, { quote: "AB" }, { quote: "AAAA", runtimeData: { data: "%%%", dataType: "Binary" } }, { quote: "AAAA", initTimeData: { data: "a+b/", dataType: "JSON" } }]) {
      await expectRefused("POST", `/aad/attest/SgxEnclave?${V}`, JSON.stringify(body), "application/json", 400);
    }
  });

  it("bad JWS in every field, for policy set, reset, signer add/remove and the preview set", async () => {
    const good = await signed(MINIMAL, signer);
    const [h, p, sig] = good.split(".") as [string, string, string];
    const header = JSON.parse(Buffer.from(h, "base64url").toString());
    const bad = [
      "",
      "no dots at all",
      "a.b",
      "a.b.c.d",
      `${h}!.${p}.${sig}`,
      `${b64("not json")}.${p}.${sig}`,
      `${b64([1, 2])}.${p}.${sig}`,
      `.${p}.${sig}`,
      `${h}.${p}.${sig.slice(0, -2)}`,
      `${h}.${b64("not json")}.${sig}`,
      `${h}.${b64({ AttestationPolicy: 42 })}.${sig}`,
      `${b64({ ...header, alg: "HS256" })}.${p}.${sig}`,
      `${b64({ ...header, alg: "RSA256", x5c: ["!!!"] })}.${p}.${sig}`,
      `${b64({ ...header, x5c: ["MIIB"] })}.${p}.${sig}`,
      `${b64({ ...header, x5c: "not an array" })}.${p}.${sig}`,
      `${b64({ ...header, crit: ["exp"] })}.${p}.${sig}`,
      `${b64({ alg: "RS256", jwk: { kty: "RSA" } })}.${p}.${sig}`,
      `${b64({ alg: "RS256", jku: "https://evil.example/keys" })}.${p}.${sig}`,
      `${b64({ alg: "RSA256", jwk: { x5c: [signer.der] } })}.${p}.${sig}`,
      JSON.stringify(42),
      JSON.stringify({ token: good }),
    ];
    for (const t of bad) {
      for (const [method, route] of [
        ["PUT", `/hiso/policies/SgxEnclave?${V}`],
        ["POST", `/hiso/policies/SgxEnclave:reset?${V}`],
        ["POST", `/hiso/certificates:add?${V}`],
        ["POST", `/hiso/certificates:remove?${V}`],
        ["PUT", "/hiso/operations/policy/current?api-version=2018-09-01-preview&tee=SgxEnclave"],
        ["PUT", `/aad/policies/SgxEnclave?${V}`],
      ] as const) {
        await expectRefused(method, route, t, "text/plain");
      }
    }
    // Unsigned is bad only where a signature is required.
    for (const route of [`/hiso/policies/SgxEnclave?${V}`, `/hiso/certificates:add?${V}`]) {
      await expectRefused(route.includes("policies") ? "PUT" : "POST", route, `${b64({ ...header, alg: "none" })}.${p}.`, "text/plain", 400);
    }
    // A signer token whose payload names no certificate, and one naming garbage.
    const noCert = await signed(MINIMAL, signer);
    await expectRefused("POST", `/hiso/certificates:add?${V}`, noCert, "text/plain", 400);
    const other = await makeSigner("other");
    const viaTool = (await createSignerToken(other.certPem, signer.keyPem, signer.certPem)).token;
    const [sh, , ss] = viaTool.split(".") as [string, string, string];
    await expectRefused("POST", `/hiso/certificates:add?${V}`, `${sh}.${b64({ policyCertificate: { kty: "RSA", x5c: ["garbage"] } })}.${ss}`, "text/plain", 400);
  });

  it("unknown routes, methods, providers, types and api-versions", async () => {
    await expectRefused("GET", "/nothing", undefined, undefined, 404); // `/` is the console (routes/console.ts)
    await expectRefused("GET", "/aad/nothing/here", undefined, undefined, 404);
    await expectRefused("DELETE", `/aad/policies/SgxEnclave?${V}`, undefined, undefined, 404);
    await expectRefused("GET", `/nosuchprovider/policies/SgxEnclave?${V}`, undefined, undefined, 404);
    await expectRefused("GET", "/nosuchprovider/certs", undefined, undefined, 404);
    await expectRefused("POST", `/aad/policies/SgxEnclave:explode?${V}`, "x", "text/plain", 404);
    await expectRefused("POST", `/aad/certificates:steal?${V}`, "x", "text/plain", 404);
    await expectRefused("GET", `/aad/policies/Quantum?${V}`, undefined, undefined, 400);
    await expectRefused("POST", `/aad/attest/Quantum?${V}`, JSON.stringify({ quote: "AAAA" }), "application/json", 400);
    for (const v of ["", "api-version=", "api-version=2099-01-01", "api-version=2020-10-01&api-version=2022-08-01", "api-version=%00"]) {
      await expectRefused("GET", `/aad/policies/SgxEnclave?${v}`, undefined, undefined, 400);
      await expectRefused("POST", `/aad/attest/SgxEnclave?${v}`, JSON.stringify({ quote: "AAAA" }), "application/json", 400);
    }
    await expectRefused("GET", `/aad/policies/${"x".repeat(5000)}?${V}`, undefined, undefined);
    await expectRefused("GET", "/aad/%E0%A4%A", undefined, undefined);
  });

  it("a slow client is disconnected after the request timeout and the service keeps serving", async () => {
    const closed = await new Promise<boolean>((resolve) => {
      const sock = connect(s.port, "127.0.0.1", () => sock.write("POST /aad/attest/SgxEnclave?api-version=2020-10-01 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"));
      sock.on("close", () => resolve(true));
      sock.on("error", () => undefined);
      setTimeout(() => {
        sock.destroy();
        resolve(false);
      }, 20_000);
    });
    expect(closed).toBe(true);
    expect((await call(s, "GET", "/aad/certs")).status).toBe(200);
  });
});
