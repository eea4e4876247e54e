/**
 * The evidence options as text (what the CLI, test files and the language server share): each
 * value read, case-insensitively where the option is a name; each mistake names its option; a
 * time without a zone refused; and never a throw, whatever the text.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseIsoTime, readEvidenceOptionText, type EvidenceOptionText } from "../src/options.js";

describe("readEvidenceOptionText", () => {
  it("reads every option", () => {
    expect(readEvidenceOptionText({ type: " sgxenclave ", runtimeDataType: "JSON", initTimeDataType: "binary", nonce: "n-1", at: "2021-04-17T12:00:00Z", openEnclaveQuoteHash: "Quote" })).toEqual({
      ok: true,
      options: { type: "SgxEnclave", runtimeDataType: "JSON", initTimeDataType: "Binary", nonce: "n-1", at: new Date("2021-04-17T12:00:00Z"), openEnclaveQuoteHash: "quote" },
    });
    expect(readEvidenceOptionText({})).toEqual({ ok: true, options: {} });
  });

  it.each<[EvidenceOptionText, string, RegExp]>([
    [{ type: "Tpm" }, "type", /^must be one of SgxEnclave, OpenEnclave, SevSnpVm, TdxVm \(got `Tpm`\)$/],
    [{ runtimeDataType: "xml" }, "runtimeDataType", /^must be `binary` or `json` \(got `xml`\)$/],
    [{ initTimeDataType: "" }, "initTimeDataType", /^must be `binary` or `json`/],
    [{ at: "tomorrow" }, "at", /^`tomorrow` is not an ISO 8601 time/],
    [{ at: "2021-02-30" }, "at", /^`2021-02-30` is not a valid date$/],
    [{ nonce: "" }, "nonce", /^must not be empty$/],
    [{ openEnclaveQuoteHash: "hash" }, "openEnclaveQuoteHash", /^must be `report` or `quote` \(got `hash`\)$/],
    // The first mistake in a fixed order, whatever order the options were written in.
    [{ at: "x", type: "y" }, "type", /^must be one of/],
  ])("refuses %j naming the option", (text, option, message) => {
    const r = readEvidenceOptionText(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.option).toBe(option);
    expect(r.message).toMatch(message);
  });

  it("never throws, whatever the text", () => {
    const text = fc.option(fc.string({ maxLength: 30 }), { nil: undefined });
    fc.assert(
      fc.property(fc.record({ type: text, runtimeDataType: text, initTimeDataType: text, nonce: text, at: text, openEnclaveQuoteHash: text }), (t) => {
        const r = readEvidenceOptionText(t);
        if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});

describe("parseIsoTime", () => {
  it("takes a date (midnight UTC) or a time with a zone, and refuses a time without one", () => {
    expect(parseIsoTime("2021-04-17")).toEqual(new Date("2021-04-17T00:00:00Z"));
    expect(parseIsoTime("2021-04-17T12:00:00+02:00")).toEqual(new Date("2021-04-17T10:00:00Z"));
    expect(parseIsoTime("2021-04-17T12:00:00.123456789Z")).toEqual(new Date("2021-04-17T12:00:00.123Z"));
    expect(parseIsoTime("2021-04-17T12:00:00")).toMatch(/a time needs Z or an offset/);
    expect(parseIsoTime("Apr 17 2021")).toMatch(/is not an ISO 8601 time/);
    expect(parseIsoTime("2024-02-29")).toEqual(new Date("2024-02-29T00:00:00Z"));
    for (const t of ["2023-02-29", "2021-13-01", "2021-00-10", "2021-04-31", "2021-04-17T24:00Z", "2021-04-17T12:60Z", "2021-04-17T12:00:61Z", "2021-04-17T12:00+24:00"]) {
      expect(parseIsoTime(t), t).toBe(`\`${t}\` is not a valid date`);
    }
  });
});
