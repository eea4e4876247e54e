/**
 * The SGX attribute flag names (`attributes.flag_names` of a report body): the bit loop on two
 * 32-bit halves names exactly the flags a BigInt test of each of the 64 bits names.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flagNames, SGX_FLAGS } from "../src/sgx/report-body.js";

/** The reference: one BigInt mask per bit. */
function reference(flags: bigint, names: (mask: bigint) => string | undefined): string[] {
  const out: string[] = [];
  for (let bit = 0n; bit < 64n; bit++) {
    const m = 1n << bit;
    if ((flags & m) !== 0n) out.push(names(m) ?? `bit ${bit}`);
  }
  return out;
}

describe("flagNames", () => {
  const known = (m: bigint) => SGX_FLAGS.find(([v]) => v === m)?.[1];

  it("names INIT, DEBUG and MODE64BIT, and unknown bits by number, in bit order", () => {
    expect(flagNames(0x7n)).toEqual(["INIT", "DEBUG", "MODE64BIT"]);
    expect(flagNames(1n << 63n)).toEqual(["bit 63"]);
    expect(flagNames(0n)).toEqual([]);
  });

  it("agrees with a BigInt test of every bit, for any 64-bit value", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (flags) => {
        expect(flagNames(flags)).toEqual(reference(flags, known));
      }),
      { numRuns: 500 },
    );
  });
});
