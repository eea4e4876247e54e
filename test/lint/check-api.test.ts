/**
 * The `check()` library API: attestation type inference, rule levels, inline suppressions and
 * the shape of its result.
 */
import { SAFE_FIX_CODES, check, hasSafeFix, inferAttestationType, isConfigurableCode, parse } from "@maa-policy/core";
import { describe, expect, it } from "vitest";

const policy = (authz: string) => `version=1.2;\nauthorizationrules\n{\n${authz}\n};\n`;

describe("check()", () => {
  it("infers the attestation type from the claims tested", () => {
    expect(check(policy('    [type=="x-ms-sgx-svn", value>=1] => permit();')).attestationType).toBe("SgxEnclave");
    expect(check(policy('    [type=="secureBootEnabled", value==true] && [type=="enclaveSvn", value>=1] => permit();')).attestationType).toBe("VbsEnclave");
    expect(check(policy('    [type=="secureBootEnabled", value==true] => permit();')).attestationType).toBe("Tpm");
    expect(check(policy('    [type=="x-ms-sevsnpvm-is-debuggable", value==false] => permit();')).attestationType).toBe("SevSnpVm");
    expect(check(policy('    [type=="custom", value==true] => permit();')).attestationType).toBeUndefined();
    // Claims the policy adds, and claims every type produces, do not count.
    expect(inferAttestationType(parse(policy('    [type=="x-ms-sgx-svn", issuer=="AttestationPolicy"] => permit();\n    [type=="x-ms-attestation-type"] => permit();')).file)).toBeUndefined();
  });

  it("keeps a given attestation type", () => {
    const r = check(policy('    [type=="x-ms-sgx-svn", value>=1] => permit();'), { attestationType: "Tpm" });
    expect(r.attestationType).toBe("Tpm");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["P2038"]);
  });

  it("applies rule levels to check codes and syntax warnings only", () => {
    const text = policy('    c:[type=="x-ms-sgx-svn", value>=-1] => permit();');
    expect(check(text).diagnostics.map((d) => `${d.code}:${d.severity}`)).toEqual(["P2012:info", "P1016:warning"]);
    const r = check(text, { rules: { P2012: "error", P1016: "off", P1001: "off" } });
    expect(r.diagnostics.map((d) => `${d.code}:${d.severity}`)).toEqual(["P2012:error"]);
    expect(isConfigurableCode("P2012")).toBe(true);
    expect(isConfigurableCode("P1016")).toBe(true);
    expect(isConfigurableCode("P1001")).toBe(false);
    expect(isConfigurableCode("P9999")).toBe(false);
  });

  it("suppresses the listed codes on the next rule only", () => {
    const text = policy(
      [
        "    // maa-policy-ignore P2032: development instance",
        '    [type=="x-ms-sgx-is-debuggable", value==true] => permit();',
        '    [type=="x-ms-sgx-is-debuggable", value==true, type=="x-ms-sgx-is-debuggable"] => permit();',
      ].join("\n"),
    );
    const codes = check(text).diagnostics.map((d) => `${d.code}@${text.slice(0, d.range.start).split("\n").length}`);
    expect(codes).toEqual(["P2032@6"]);
  });

  it("returns sorted diagnostics and never throws on broken input", () => {
    const r = check("version=1.2; authorizationrules { c:[type==\"a\", value==d.value] && [ => ; issuancerules { => issue(claim=x); };");
    const starts = r.diagnostics.map((d) => d.range.start);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(r.diagnostics.some((d) => d.code === "P9001")).toBe(false);
  });

  it("marks only the reviewed fixes as safe", () => {
    const r = check(policy('    c:[type==" x-ms-sgx-svn", value>=2] => permit();'));
    const byCode = new Map(r.diagnostics.map((d) => [d.code, d]));
    expect(hasSafeFix(byCode.get("P2012")!)).toBe(true);
    expect(byCode.get("P2022")?.fix).toBeDefined();
    expect(hasSafeFix(byCode.get("P2022")!)).toBe(false);
    expect(SAFE_FIX_CODES.has("P2007")).toBe(false);
  });
});
