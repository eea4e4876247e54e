/**
 * The real evidence/token pairs reproduce through `maa-policy eval --evidence`: the three 2021
 * Azure SDK tokens (SgxEnclave Binary, SgxEnclave JSON, OpenEnclave; live sharedwus 2021-04-17)
 * and the two 2022 Azure SDK for C++ tokens (service/01 SgxEnclave JSON on an AAD instance,
 * service/02 OpenEnclave Binary on sharedwus; 2022-05-31), each with the service's default
 * policy (real-world/58), give the same token claims as the real token, except:
 *
 * - `iss`, `jti`, `iat`, `nbf`, `exp` (the instance and the moment);
 * - the collateral hashes other than `quotehash` in `x-ms-sgx-collateral` and
 *   `maa-attestationcollateral` (hashes of the Intel collateral MAA fetched, which we do not have);
 * - the claims the service of that year did not yet issue (`NOT_YET_ISSUED`; docs/evidence.md
 *   lists the same).
 *
 * The 2021 OpenEnclave token's `quotehash` is SHA-256 of the inner SGX quote, the 2022 one's of the
 * whole OE report: the 2021 pair runs with `--oe-quotehash quote`, the 2022 pair with the default.
 *
 * The SEV-SNP REST-spec pair gives all 17 `x-ms-sevsnpvm-*` claims of its token, equal.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { runMaaPolicy } from "../support/cli.js";

const root = path.resolve(import.meta.dirname, "../fixtures");
const fixtures = path.join(root, "evidence");
const DEFAULT_POLICY = path.join(root, "real-world/58-service-default-openenclave-2021.policy");

/** The envelope claims that depend on the instance and the moment. */
const ENVELOPE = ["iss", "jti", "iat", "nbf", "exp"];
/** Objects of collateral hashes: only `quotehash` can be computed from the evidence. */
const COLLATERAL = ["x-ms-sgx-collateral", "maa-attestationcollateral"];

/**
 * Claims our token carries that the service did not issue yet in that year. `x-ms-sgx-report-data`
 * and `x-ms-policy` appear in the 2022 tokens but not in the 2021 ones.
 */
export const NOT_YET_ISSUED: Readonly<Record<"2021" | "2022", readonly string[]>> = {
  "2021": ["x-ms-policy", "x-ms-sgx-report-data"],
  "2022": [],
};

function jwtPayload(token: string): Record<string, unknown> {
  const part = token.trim().split(".")[1] as string;
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
}

function serviceToken(file: string): Record<string, unknown> {
  const rec = JSON.parse(readFileSync(path.join(fixtures, "service", file), "utf8")) as { networkCallRecords: { Method: string; Response: { BODY: string } }[] };
  const post = rec.networkCallRecords.find((r) => r.Method === "POST");
  return jwtPayload((JSON.parse((post as { Response: { BODY: string } }).Response.BODY) as { token: string }).token);
}

const inputs = JSON.parse(readFileSync(path.join(fixtures, "service/10-cpp-test-inputs.derived.json"), "utf8")) as Record<string, string>;

interface Pair {
  readonly name: string;
  readonly year: "2021" | "2022";
  readonly real: Record<string, unknown>;
  /** The evidence argument and the request body on standard input when it is `-`. */
  readonly evidence: string;
  readonly stdin?: string;
  /** Extra options (the 2021 OpenEnclave token hashed the inner quote: `--oe-quotehash quote`). */
  readonly options?: readonly string[];
  /** How many claims of the real token are compared (all but the envelope). */
  readonly compared: number;
}

const PAIRS: readonly Pair[] = [
  { name: "2021 SgxEnclave, Binary runtime data", year: "2021", real: jwtPayload(readFileSync(path.join(fixtures, "sgx/azsdk-debug.token.sgxenclave-binary.jwt"), "utf8")), evidence: "sgx/azsdk-debug.request.sgxenclave-binary.json", compared: 19 },
  { name: "2021 SgxEnclave, JSON runtime data", year: "2021", real: jwtPayload(readFileSync(path.join(fixtures, "sgx/azsdk-debug.token.sgxenclave-json.jwt"), "utf8")), evidence: "sgx/azsdk-debug.request.sgxenclave-json.json", compared: 17 },
  { name: "2021 OpenEnclave, Binary runtime data", year: "2021", real: jwtPayload(readFileSync(path.join(fixtures, "sgx/azsdk-debug.token.openenclave-binary.jwt"), "utf8")), evidence: "sgx/azsdk-debug.request.openenclave-binary.json", options: ["--oe-quotehash", "quote"], compared: 19 },
  {
    name: "2022 SgxEnclave, JSON runtime data (service/01)",
    year: "2022",
    real: serviceToken("01-cpp-Attestation-AttestationTests.AttestWithRuntimeDataJson-SgxEnclave_Aad.json"),
    evidence: "-",
    stdin: JSON.stringify({ quote: inputs["sgxQuote_base64url"], runtimeData: { data: inputs["runtimeData_base64url"], dataType: "JSON" } }),
    compared: 19,
  },
  {
    name: "2022 OpenEnclave, Binary runtime data (service/02)",
    year: "2022",
    real: serviceToken("02-cpp-Attestation-AttestationTests.AttestWithRuntimeData-OpenEnclave_Shared.json"),
    evidence: "-",
    stdin: JSON.stringify({ report: inputs["openEnclaveReport_base64url"], runtimeData: { data: inputs["runtimeData_base64url"], dataType: "Binary" } }),
    compared: 21,
  },
];

async function evalToken(evidence: string, at: Date, stdin?: string, policy = DEFAULT_POLICY, extra: string[] = []) {
  const r = await runMaaPolicy(["eval", policy, "--evidence", evidence, "--at", at.toISOString(), ...extra, "--format", "json"], { cwd: fixtures, ...(stdin !== undefined ? { stdin } : {}) });
  expect(r.stderr).toBe("");
  expect(r.code, r.stdout).toBe(0);
  const json = JSON.parse(r.stdout) as { decision: string; evidence: { verified: boolean }; attestationToken: Record<string, unknown> | null };
  expect(json.evidence.verified).toBe(true);
  expect(json.decision).toBe("permit");
  expect(json.attestationToken).not.toBeNull();
  return json.attestationToken as Record<string, unknown>;
}

describe("the real SGX and OpenEnclave tokens reproduce with the service's default policy", () => {
  test.each(PAIRS.map((p) => [p.name, p] as const))("%s", async (_name, p) => {
    const at = new Date((p.real["iat"] as number) * 1000);
    const ours = await evalToken(p.evidence, at, p.stdin, DEFAULT_POLICY, [...(p.options ?? [])]);
    const compared: string[] = [];
    for (const [k, v] of Object.entries(p.real)) {
      if (ENVELOPE.includes(k)) continue;
      expect(Object.keys(ours), `the token lacks \`${k}\``).toContain(k);
      if (COLLATERAL.includes(k)) {
        expect((ours[k] as Record<string, unknown>)["quotehash"], `${k}.quotehash`).toBe((v as Record<string, unknown>)["quotehash"]);
      } else {
        expect(ours[k], k).toEqual(v);
      }
      compared.push(k);
    }
    // Every claim of the real token was compared, and ours adds only what that year's service did not issue yet.
    expect(compared.length).toBe(p.compared);
    const extra = Object.keys(ours).filter((k) => !(k in p.real) && !ENVELOPE.includes(k));
    expect(extra.sort()).toEqual([...NOT_YET_ISSUED[p.year]].sort());
    // The envelope is there, with MAA's 8-hour lifetime from the time given.
    expect(ours["iat"]).toBe(p.real["iat"]);
    expect(ours["nbf"]).toBe(p.real["nbf"]);
    expect((ours["exp"] as number) - (ours["iat"] as number)).toBe(28800);
  });
});

describe("the SEV-SNP REST-spec pair", () => {
  const real = jwtPayload(readFileSync(path.join(fixtures, "snp/restspec-2022.token.jwt"), "utf8"));
  const snpClaims = Object.keys(real).filter((k) => k.startsWith("x-ms-sevsnpvm-"));

  test("its token has the 17 x-ms-sevsnpvm-* claims", () => {
    expect(snpClaims.length).toBe(17);
  });

  test("the incoming claims and the token give all 17, equal to the real token's", async () => {
    const permitAll = path.join(root, "real-world/46-sdk-minimal-permit.policy");
    const at = new Date((real["iat"] as number) * 1000);
    // The example's request body has no nonce although its token has one (an inconsistency of the example): give it.
    const ours = await evalToken("snp/restspec-2022.report-field.b64url.txt", at, undefined, permitAll, ["--type", "SevSnpVm", "--runtime-data", "snp/restspec-2022.runtime-data.json", "--nonce", real["nonce"] as string]);
    for (const k of snpClaims) expect(ours[k], k).toEqual(real[k]);
    for (const k of ["x-ms-attestation-type", "x-ms-runtime", "x-ms-ver", "nonce"]) expect(ours[k], k).toEqual(real[k]);
    // Not compared: x-ms-compliance-status and x-ms-policy-hash come from the instance's policy, which the example does not give.
    expect(Object.keys(real).filter((k) => !(k in ours)).sort()).toEqual(["x-ms-compliance-status"]);

    const r = await runMaaPolicy(["evidence", "snp/restspec-2022.report-field.b64url.txt", "--type", "SevSnpVm", "--runtime-data", "snp/restspec-2022.runtime-data.json", "--at", at.toISOString(), "--format", "json"], { cwd: fixtures });
    expect(r.code).toBe(0);
    const incoming = new Map((JSON.parse(r.stdout) as { claims: { type: string; value: unknown }[] }).claims.map((c) => [c.type, c.value]));
    for (const k of snpClaims) expect(incoming.get(k), k).toEqual(real[k]);
  });
});
