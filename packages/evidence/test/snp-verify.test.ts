/**
 * SEV-SNP verification, step by step: the real samples verify against the pinned AMD roots; each
 * step fails alone when its input is wrong (a test PKI signs the reports, its roots passed in as
 * data); every single-bit flip in the signed region of a real report is refused (fast-check).
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AMD_ROOTS, appraiseSnp, pinnedRoots, readCertBundle, verifySnp, parseSnpReport, type SnpAppraiseOptions } from "../src/snp/index.js";
import type { Appraisal } from "../src/types.js";
import { fixture, fixtureText, makeCrl, makePki, patch, SAMPLE_TIME, sha256, signReport, SNP_SAMPLES } from "./snp-support.js";

const statuses = (a: Appraisal) => Object.fromEntries(a.checks.map((c) => [c.id, c.status]));
const failed = (a: Appraisal) => a.checks.filter((c) => c.status === "failed").map((c) => [c.id, c.code]);
const REST_TIME = new Date("2022-09-21T21:47:31Z");

describe("the pinned AMD roots", () => {
  it("are the go-sev-guest trust files byte for byte (Milan, Genoa, Turin; VCEK and VLEK)", () => {
    const files: Record<string, string> = {
      "Milan/vcek": "amd.ask_ark_milan.pem",
      "Milan/vlek": "amd.ask_ark_milan_vlek.pem",
      "Genoa/vcek": "amd.ask_ark_genoa.pem",
      "Genoa/vlek": "amd.ask_ark_genoa_vlek.pem",
      "Turin/vcek": "amd.ask_ark_turin_vcek.pem",
      "Turin/vlek": "amd.ask_ark_turin_vlek.pem",
    };
    expect(AMD_ROOTS).toHaveLength(6);
    for (const r of AMD_ROOTS) expect(r.pem, `${r.product}/${r.kind}`).toBe(fixtureText(`roots/${files[`${r.product}/${r.kind}`]}`));
  });

  it("each intermediate is signed by its ARK, and each ARK by itself (RSASSA-PSS)", async () => {
    for (const r of pinnedRoots()) {
      expect(await r.intermediate.verify({ publicKey: r.ark.publicKey, signatureOnly: true })).toBe(true);
      expect(await r.ark.verify({ publicKey: r.ark.publicKey, signatureOnly: true })).toBe(true);
      expect(r.ark.subject).toContain(`CN=ARK-${r.product}`);
    }
  });
});

describe("the real samples verify", () => {
  it("the REST-spec pair: every step passes, revocation and init-time data are not checked", async () => {
    const a = await appraiseSnp(fixture("snp/restspec-2022.report-field.b64url.txt"), { now: REST_TIME, runtimeData: fixture("snp/restspec-2022.runtime-data.json") });
    expect(a.verified).toBe(true);
    expect(a.diagnostics).toEqual([]);
    expect(statuses(a)).toEqual({
      "snp.report-signature": "passed",
      "snp.signing-key": "passed",
      "snp.ark-pinned": "passed",
      "snp.ask-signature": "passed",
      "snp.vcek-signature": "passed",
      "snp.certificate-validity": "passed",
      "snp.vcek-tcb": "passed",
      "snp.vcek-hwid": "passed",
      "snp.runtime-data": "passed",
      "snp.init-time-data": "not-checked",
      "snp.revocation": "not-checked",
    });
    expect(a.checks.find((c) => c.id === "snp.revocation")?.detail).toBe("AMD's CRL for Milan was not supplied (AMD KDS `/vcek/v1/<product>/crl`): revocation of the ASK was not checked");
  });

  for (const [name, s] of Object.entries(SNP_SAMPLES)) {
    it(`${name}: the report verifies with its VCEK, completed from the pinned Milan ASK/ARK when needed`, async () => {
      const runtime = s.runtime();
      const a = await appraiseSnp(s.report(), { now: SAMPLE_TIME, collateral: s.chain(), ...(runtime ? { runtimeData: runtime } : {}) });
      expect(failed(a)).toEqual([]);
      expect(a.verified).toBe(true);
      expect(a.checks.find((c) => c.id === "snp.runtime-data")?.status).toBe(runtime ? "passed" : "not-checked");
    });
  }

  it("takes the VCEK from Azure THIM's JSON (`vcekCert`, `certificateChain`)", async () => {
    const thim = JSON.stringify({ vcekCert: fixtureText("snp/constellation-azure.vcek.pem"), certificateChain: fixtureText("snp/constellation-azure.ask-ark-milan.pem"), tcbm: "00" });
    const a = await appraiseSnp(SNP_SAMPLES["constellation-azure"].report(), { now: SAMPLE_TIME, collateral: thim });
    expect(a.verified).toBe(true);
    expect(a.checks.find((c) => c.id === "snp.ark-pinned")?.detail).toBe("the chain's ARK-Milan has the pinned ARK-Milan public key");
  });
});

describe("tampering is refused", () => {
  const rest = SNP_SAMPLES["restspec-2022"].report();
  const chain = fixture("snp/restspec-2022.vcek-chain.pem");
  const opts: SnpAppraiseOptions = { now: REST_TIME, collateral: chain };

  it("every single-bit flip in the signed region (bytes 0..0x2A0) or in r, s is refused", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 0x2a0 + 144 - 1 }), fc.integer({ min: 0, max: 7 }), async (pos, bit) => {
        const flipped = new Uint8Array(rest);
        flipped[pos] = (flipped[pos] as number) ^ (1 << bit);
        const a = await appraiseSnp(flipped, opts);
        expect(a.verified).toBe(false);
        expect(a.checks.find((c) => c.id === "snp.report-signature")?.status).toBe("failed");
      }),
      { numRuns: 150 },
    );
  });

  it("a flip names the signature and its offset (P5208)", async () => {
    const a = await appraiseSnp(patch(rest, 0x90, [rest[0x90]! ^ 1]), opts);
    expect(failed(a)).toEqual([["snp.report-signature", "P5208"]]);
    expect(a.diagnostics[0]?.message).toBe("SEV-SNP report: the signature at offset 672 does not verify with the VCEK key over bytes 0..0x2a0: the report was changed or signed by another key");
    expect(a.diagnostics[0]?.range).toEqual({ start: 0x2a0, end: 0x330 });
  });

  it("an r or s that overflows 48 bytes is no P-384 signature", async () => {
    const a = await appraiseSnp(patch(rest, 0x2a0 + 60, [1]), opts);
    expect(a.checks.find((c) => c.id === "snp.report-signature")?.detail).toContain("r or s does not fit 48 bytes");
  });

  it("a chain with a foreign root is refused (P5209), and so is its ASK (P5210)", async () => {
    const pki = await makePki();
    const signed = await signReport(rest, pki.leafKey);
    const a = await appraiseSnp(signed, { now: REST_TIME, collateral: pki.pem });
    expect(a.checks.find((c) => c.id === "snp.report-signature")?.status).toBe("passed");
    expect(failed(a)).toEqual([
      ["snp.ark-pinned", "P5209"],
      ["snp.ask-signature", "P5210"],
      ["snp.vcek-tcb", "P5212"],
      ["snp.vcek-hwid", "P5213"],
    ]);
    expect(a.verified).toBe(false);
    expect(a.checks.find((c) => c.id === "snp.ark-pinned")?.detail).toBe("SEV-SNP chain: the root `ARK-Milan` supplied is not the pinned ARK-Milan key (google/go-sev-guest@af1c107a verify/trust/ask_ark_milan.pem)");
  });

  for (const product of ["Milan", "Genoa", "Turin"] as const) {
    for (const kind of ["vcek", "vlek"] as const) {
      it(`a ${product} ${kind.toUpperCase()} is checked against the pinned ${product} ${kind === "vlek" ? "ASVK" : "ASK"} and ARK`, async () => {
        const pki = await makePki({ product, kind });
        const report = await signReport(patch(rest, 0x48, [kind === "vlek" ? 4 : 0]), pki.leafKey);
        const leafOnly = await appraiseSnp(report, { now: REST_TIME, collateral: pki.leaf.toString("pem") });
        const inter = kind === "vlek" ? `SEV-VLEK-${product}` : `SEV-${product}`;
        expect(leafOnly.checks.find((c) => c.id === "snp.ark-pinned")?.detail).toMatch(new RegExp(`^the chain carries no ARK: the pinned ARK-${product} \\(google/go-sev-guest@af1c107a verify/trust/ask_ark_${product.toLowerCase()}`));
        expect(leafOnly.checks.find((c) => c.id === "snp.ask-signature")?.detail).toBe(`${inter} (pinned, not in the chain) is signed by the pinned ARK-${product} key`);
        expect(leafOnly.checks.find((c) => c.id === "snp.vcek-signature")).toMatchObject({ status: "failed", code: "P5210" });
      });
    }
  }

  it("a genuine VCEK signed by a foreign ASK is refused (P5210)", async () => {
    const pki = await makePki();
    const [vcek] = readCertBundle(chain).certs;
    const a = await appraiseSnp(rest, { now: REST_TIME, collateral: `${vcek?.cert.toString("pem")}\n${pki.ask.toString("pem")}` });
    expect(failed(a)).toEqual([
      ["snp.ask-signature", "P5210"],
      ["snp.vcek-signature", "P5210"],
    ]);
  });

  it("a certificate expired (or not yet valid) at `now` is refused (P5211)", async () => {
    const late = await appraiseSnp(rest, { ...opts, now: new Date("2029-01-01T00:00:00Z") });
    expect(failed(late)).toEqual([["snp.certificate-validity", "P5211"]]);
    expect(late.checks.find((c) => c.id === "snp.certificate-validity")?.detail).toBe("SEV-SNP chain: `SEV-VCEK` expired at 2028-01-25T23:08:13Z, and the verification time is 2029-01-01T00:00:00Z");
    const early = await appraiseSnp(rest, { ...opts, now: new Date("2020-01-01T00:00:00Z") });
    expect(early.checks.find((c) => c.id === "snp.certificate-validity")?.detail).toContain("not valid before");
  });

  it("a VCEK for another chip is refused (P5213, and its signature and TCB fail too)", async () => {
    const a = await appraiseSnp(rest, { now: SAMPLE_TIME, collateral: fixture("snp/go-sev-guest.vcek.der") });
    expect(failed(a)).toEqual([
      ["snp.report-signature", "P5208"],
      ["snp.vcek-tcb", "P5212"],
      ["snp.vcek-hwid", "P5213"],
    ]);
  });

  it("each chip and TCB check fails alone under a test PKI", async () => {
    const chip = new Uint8Array(64).fill(0xab);
    const pki = await makePki({ tcb: [0, 0, 0, 0, 0, 0, 0, 40], hwid: chip });
    const good = await signReport(patch(rest, 0x1a0, chip), pki.leafKey);
    const base = { now: REST_TIME, collateral: pki.pem, roots: pki.roots };
    expect(failed(await appraiseSnp(good, base))).toEqual([]);
    const otherChip = await signReport(patch(patch(rest, 0x1a0, chip), 0x1a0, [0xac]), pki.leafKey);
    const hw = await appraiseSnp(otherChip, base);
    expect(failed(hw)).toEqual([["snp.vcek-hwid", "P5213"]]);
    expect(hw.diagnostics[0]?.message).toBe("SEV-SNP report: `chip_id` at offset 416 (acababababababab…) is not the VCEK's hwID (abababababababab…): the VCEK was issued for another chip");
    const tcb = await appraiseSnp(await signReport(patch(patch(rest, 0x1a0, chip), 0x180, [1]), pki.leafKey), base);
    expect(failed(tcb)).toEqual([["snp.vcek-tcb", "P5212"]]);
    expect(tcb.diagnostics[0]?.message).toBe("SEV-SNP report: `reported_tcb` at offset 384 differs from the VCEK: bootloader 1 in the report, 0 in the certificate");
  });

  it("a Turin VCEK is compared in the Turin layout, with an 8-byte hwID", async () => {
    const hwid = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const pki = await makePki({ product: "Turin", tcb: [1, 2, 3, 4, 0, 0, 0, 9], hwid });
    let r = patch(rest, 0x180, [1, 2, 3, 4, 0, 0, 0, 9]);
    r = patch(r, 0x1a0, new Uint8Array(64));
    r = patch(r, 0x1a0, hwid);
    const a = await appraiseSnp(await signReport(r, pki.leafKey), { now: REST_TIME, collateral: pki.pem, roots: pki.roots });
    expect(failed(a)).toEqual([]);
    expect(a.checks.find((c) => c.id === "snp.vcek-tcb")?.detail).toBe("fmc 1, bootloader 2, tee 3, snp 4, microcode 9 equal reported_tcb 0102030400000009 (turin layout)");
  });

  it("a VLEK: signer_info must name it, and it has no hwID to compare", async () => {
    const pki = await makePki({ kind: "vlek", tcb: [0, 0, 0, 0, 0, 0, 0, 40] });
    const asVlek = await signReport(patch(rest, 0x48, [1 << 2]), pki.leafKey);
    const ok = await appraiseSnp(asVlek, { now: REST_TIME, collateral: pki.pem, roots: pki.roots });
    expect(failed(ok)).toEqual([]);
    expect(ok.checks.find((c) => c.id === "snp.vcek-hwid")).toMatchObject({ status: "not-checked" });
    const asVcek = await appraiseSnp(await signReport(rest, pki.leafKey), { now: REST_TIME, collateral: pki.pem, roots: pki.roots });
    expect(failed(asVcek)).toEqual([["snp.signing-key", "P5218"]]);
  });

  it("no VCEK at all: the signature check fails with P5216 and the chain steps are not checked", async () => {
    const a = await appraiseSnp(rest, { now: REST_TIME });
    expect(failed(a)).toEqual([["snp.report-signature", "P5216"]]);
    expect(a.checks.filter((c) => c.status === "not-checked").map((c) => c.id)).toContain("snp.ark-pinned");
    expect(a.verified).toBe(false);
  });

  it("an unreadable certificate is P5207", async () => {
    const a = await appraiseSnp(rest, { now: REST_TIME, collateral: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" });
    expect(a.diagnostics.map((d) => d.code)).toEqual(["P5207", "P5216"]);
    expect(a.diagnostics[0]?.message).toMatch(/^SEV-SNP chain: collateral: PEM certificate 1: /);
  });
});

describe("runtime and init-time data binding", () => {
  const rest = SNP_SAMPLES["restspec-2022"].report();
  const chain = fixture("snp/restspec-2022.vcek-chain.pem");

  it("a wrong runtime data is refused (P5214)", async () => {
    const runtime = new TextEncoder().encode('{"keys":[]}');
    const a = await appraiseSnp(rest, { now: REST_TIME, collateral: chain, runtimeData: runtime });
    expect(failed(a)).toEqual([["snp.runtime-data", "P5214"]]);
    expect(a.diagnostics[0]?.message).toMatch(/^SEV-SNP report: `report_data\[0:32\]` at offset 80 is 99dd4593.*, but SHA-256 of the runtime data is [0-9a-f]{64}$/);
  });

  it("init-time data binds host_data (P5215 when it does not)", async () => {
    const init = new TextEncoder().encode('{"policy":"x"}');
    const wrong = await appraiseSnp(rest, { now: REST_TIME, collateral: chain, initTimeData: init });
    expect(failed(wrong)).toEqual([["snp.init-time-data", "P5215"]]);
    const pki = await makePki({ tcb: [0, 0, 0, 0, 0, 0, 0, 40], hwid: rest.subarray(0x1a0, 0x1e0) });
    const bound = await signReport(patch(rest, 0xc0, await sha256(init)), pki.leafKey);
    const ok = await appraiseSnp(bound, { now: REST_TIME, collateral: pki.pem, roots: pki.roots, initTimeData: init });
    expect(failed(ok)).toEqual([]);
    expect(ok.checks.find((c) => c.id === "snp.init-time-data")?.status).toBe("passed");
  });

  it("verifySnp is usable on its own", async () => {
    const report = parseSnpReport(rest).value;
    if (!report) throw new Error("no report");
    const v = await verifySnp({ report, certs: readCertBundle(chain).certs, now: REST_TIME });
    expect(v.product).toBe("Milan");
    expect(v.leaf?.role).toBe("vcek");
    expect(v.checks.every((c) => c.status !== "failed")).toBe(true);
  });
});

describe("revocation with an AMD CRL in the collateral", () => {
  const rest = SNP_SAMPLES["restspec-2022"].report();
  const setup = async () => {
    const chip = rest.subarray(0x1a0, 0x1e0);
    const pki = await makePki({ tcb: [0, 0, 0, 0, 0, 0, 0, 40], hwid: chip });
    const report = await signReport(rest, pki.leafKey);
    return { pki, report, base: { now: REST_TIME, roots: pki.roots } };
  };
  const revocation = (a: Appraisal) => a.checks.find((c) => c.id === "snp.revocation");

  it("a current CRL signed by the ARK that does not list the ASK passes", async () => {
    const { pki, report, base } = await setup();
    const a = await appraiseSnp(report, { ...base, collateral: `${pki.pem}\n${await makeCrl(pki, { serials: ["77"] })}` });
    expect(failed(a)).toEqual([]);
    expect(revocation(a)?.detail).toBe("the ARK-Milan CRL of 2022-01-01T00:00:00Z (1 entries) does not list SEV-Milan (serial 0101)");
  });

  it("an ASK the CRL lists is refused (P5220); the CRL may come as base64 DER in THIM-style JSON", async () => {
    const { pki, report, base } = await setup();
    const crlPem = await makeCrl(pki, { serials: ["0101"] });
    const der = Buffer.from(crlPem.replace(/-----[A-Z0-9 ]+-----|\s/g, ""), "base64").toString("base64");
    const a = await appraiseSnp(report, { ...base, collateral: JSON.stringify({ vcekCert: pki.leaf.toString("pem"), certificateChain: `${pki.ask.toString("pem")}\n${pki.ark.toString("pem")}`, crl: der }) });
    expect(failed(a)).toEqual([["snp.revocation", "P5220"]]);
    expect(a.diagnostics[0]?.message).toBe("SEV-SNP chain: `SEV-Milan` (serial 0101) is revoked by the ARK-Milan CRL of 2022-01-01T00:00:00Z");
  });

  it("a CRL not signed by the pinned ARK, or out of date, is refused (P5221)", async () => {
    const { pki, report, base } = await setup();
    const other = await globalThis.crypto.subtle.generateKey({ name: "RSA-PSS", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-384" }, true, ["sign", "verify"]);
    const forged = await appraiseSnp(report, { ...base, collateral: `${pki.pem}\n${await makeCrl(pki, { signingKey: other.privateKey })}` });
    expect(failed(forged)).toEqual([["snp.revocation", "P5221"]]);
    const stale = await appraiseSnp(report, { ...base, collateral: `${pki.pem}\n${await makeCrl(pki, { nextUpdate: new Date("2022-06-01T00:00:00Z") })}` });
    expect(failed(stale)).toEqual([["snp.revocation", "P5221"]]);
    expect(revocation(stale)?.detail).toContain("expired at 2022-06-01T00:00:00Z");
  });

  it("a test ARK's CRL does not vouch for the real ARK-Milan chain (P5221)", async () => {
    const { pki } = await setup();
    const a = await appraiseSnp(rest, { now: REST_TIME, collateral: `${fixtureText("snp/restspec-2022.vcek-chain.pem")}\n${await makeCrl(pki)}` });
    expect(failed(a)).toEqual([["snp.revocation", "P5221"]]);
  });
});

describe("odd certificates are refused, never thrown", () => {
  const rest = SNP_SAMPLES["restspec-2022"].report();
  const selfSigned = async (algorithm: EcKeyGenParams | Algorithm, signing: Algorithm | EcdsaParams, cn: string) => {
    const keys = (await globalThis.crypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as CryptoKeyPair;
    const c = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: "01", name: `CN=${cn}`, notBefore: new Date("2020-01-01"), notAfter: new Date("2040-01-01"), keys, signingAlgorithm: signing });
    return c.toString("pem");
  };

  it("a P-256 \"VCEK\" and an Ed25519 certificate give failed checks with their codes", async () => {
    const p256 = await selfSigned({ name: "ECDSA", namedCurve: "P-256" }, { name: "ECDSA", hash: "SHA-256" } as EcdsaParams, "SEV-VCEK");
    const a = await appraiseSnp(rest, { now: REST_TIME, collateral: p256 });
    expect(a.checks.find((c) => c.id === "snp.report-signature")).toMatchObject({ status: "failed", code: "P5208" });
    expect(a.verified).toBe(false);
    const ed = await selfSigned({ name: "Ed25519" }, { name: "Ed25519" }, "ARK-Milan");
    const b = await appraiseSnp(rest, { now: REST_TIME, collateral: `${fixtureText("snp/restspec-2022.vcek-chain.pem").split("-----END CERTIFICATE-----")[0]}-----END CERTIFICATE-----\n${ed}` });
    expect(b.verified).toBe(false);
    expect(b.checks.filter((c) => c.status === "failed").map((c) => c.code)).toContain("P5209");
  });
});
