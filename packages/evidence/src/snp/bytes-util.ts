/**
 * Small helpers of the SEV-SNP and HCL code that `../bytes.ts` does not have: bits of a u64, SHA
 * digests via WebCrypto, UTF-8 and base64.
 */

/** The bit `bit` of a 64-bit value read by `u64LE`. */
export function bitOf(v: number | bigint, bit: number): boolean {
  return ((BigInt(v) >> BigInt(bit)) & 1n) === 1n;
}

/** `0x`-prefixed hex of a 64-bit value. */
export function hex64(v: number | bigint): string {
  return `0x${BigInt(v).toString(16).padStart(16, "0")}`;
}

/** SHA-256 or SHA-384 of `data` (the package's digest: `hash.ts`). */
export { digest } from "../hash.js";

/** UTF-8 text of `bytes` (invalid sequences become U+FFFD). */
export function utf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

/** Standard base64 or base64url (padding optional) to bytes; undefined when it is not base64. */
export function fromBase64Any(text: string): Uint8Array | undefined {
  const t = text.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(t)) return undefined;
  const std = t.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  if (std.length % 4 === 1) return undefined;
  let bin: string;
  try {
    bin = atob(std + "=".repeat((4 - (std.length % 4)) % 4));
  } catch {
    return undefined;
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
