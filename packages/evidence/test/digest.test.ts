/**
 * A digest provider (the service gives node:crypto's) changes nothing: every real sample, with
 * runtime data where it has some, gets the same appraisal (checks, claims, fields, diagnostics)
 * and the same token claims as with WebCrypto's digests; a provider that computes a wrong digest
 * is seen (runtime data refused), so the provider is really the one used; and `undefined`
 * restores WebCrypto's.
 */
import { createHash } from "node:crypto";
import { compile, evaluate } from "@maa-policy/core";
import { afterEach, describe, expect, it } from "vitest";
import { appraiseEvidence, attestationToken, setDigestProvider, type Appraisal, type AppraiseOptions, type DigestProvider } from "../src/index.js";
import { INTEL_SAMPLES, fixture as intelFixture, type IntelSample } from "./intel-support.js";
import { SAMPLE_TIME, SNP_SAMPLES } from "./snp-support.js";

const NODE: DigestProvider = (algorithm, data) => new Uint8Array(createHash(algorithm === "SHA-256" ? "sha256" : "sha384").update(data).digest());

afterEach(() => setDigestProvider(undefined));

const POLICY = 'version=1.0; authorizationrules { => permit(); }; issuancerules { c:[type=="x-ms-sgx-mrsigner"] => issue(type="signer", value=c.value); };';

async function both(evidence: Uint8Array, options: AppraiseOptions): Promise<[Appraisal, Appraisal]> {
  setDigestProvider(undefined);
  const web = await appraiseEvidence(evidence, options);
  setDigestProvider(NODE);
  const node = await appraiseEvidence(evidence, options);
  return [web, node];
}

describe("setDigestProvider", () => {
  it.each(Object.entries(INTEL_SAMPLES) as [IntelSample, { type: AppraiseOptions["type"]; at: string }][])("%s: the same appraisal and token", async (file, { type, at }) => {
    const runtimeData = new TextEncoder().encode('{"k":"v"}');
    const options: AppraiseOptions = { now: new Date(at), ...(type ? { type } : {}), runtimeData, runtimeDataType: "JSON" };
    const [web, node] = await both(intelFixture(file), options);
    expect(node).toEqual(web);
    // The token (x-ms-policy-hash, jti and the collateral's quote hash are digests).
    const evaluation = evaluate(compile(POLICY).policy as NonNullable<ReturnType<typeof compile>["policy"]>, web.claims);
    expect(evaluation.decision).toBe("permit");
    const token = () => attestationToken(web, evaluation, { now: new Date(at), policyText: POLICY });
    setDigestProvider(undefined);
    const t1 = await token();
    expect(t1?.["jti"]).toMatch(/^[0-9a-f]{64}$/);
    setDigestProvider(NODE);
    expect(await token()).toEqual(t1);
  });

  it.each(Object.entries(SNP_SAMPLES))("SEV-SNP %s: the same appraisal", async (_name, s) => {
    const runtime = s.runtime();
    const options: AppraiseOptions = { now: SAMPLE_TIME, type: "SevSnpVm", collateral: s.chain(), ...(runtime ? { runtimeData: runtime, runtimeDataType: "JSON" as const } : {}) };
    const [web, node] = await both(s.report(), options);
    expect(node).toEqual(web);
  });

  it("is the digest used: a wrong one refuses the runtime data, and undefined restores WebCrypto's", async () => {
    const quote = intelFixture("sgx/azsdk-debug.sgx-quote.bin");
    const options: AppraiseOptions = { now: new Date("2021-04-17T00:00:00Z"), type: "SgxEnclave", runtimeData: new Uint8Array([1, 2, 3]) };
    const right = await appraiseEvidence(quote, options);
    setDigestProvider((algorithm, data) => {
      const d = NODE(algorithm, data) as Uint8Array;
      d[0] = d[0]! ^ 0xff;
      return d;
    });
    const wrong = await appraiseEvidence(quote, options);
    expect(wrong.checks.map((c) => c.status)).not.toEqual(right.checks.map((c) => c.status));
    setDigestProvider(undefined);
    expect(await appraiseEvidence(quote, options)).toEqual(right);
  });
});
