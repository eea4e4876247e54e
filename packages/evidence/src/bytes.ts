/**
 * A bounds-checked little-endian reader over evidence bytes. Every read names its field; a read
 * past the end records a P5001 diagnostic ("quote truncated: `signature_data_len` at offset 432
 * needs 4 bytes, 2 remain") and returns `undefined`, so a parser never throws and never reads
 * outside the buffer. Offsets in diagnostics are absolute in the decoded evidence (`base` + offset).
 */
import { diagnostic, range, type Diagnostic, type DiagnosticCode } from "@maa-policy/core";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i] as number];
  return s;
}

/** Bytes of an even-length hex string (any case), or undefined when it is not hex. */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Whether every byte is zero. */
export function isZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** Whether two byte arrays are equal. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Concatenation of byte arrays. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A little-endian unsigned integer of up to 8 bytes: a number when safe, else a bigint. */
export function uintLE(bytes: Uint8Array): number | bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i] as number);
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** A bounds-checked reader over `bytes`; `what` names the structure in messages ("quote", "OE report"). */
export class ByteReader {
  readonly diagnostics: Diagnostic[] = [];

  /**
   * @param bytes the structure's bytes
   * @param what the structure's name, first word of a message ("quote truncated: …")
   * @param base the absolute offset of `bytes[0]` in the decoded evidence (for ranges and messages)
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly what: string,
    readonly base = 0,
  ) {}

  get length(): number {
    return this.bytes.length;
  }

  /** Whether `size` bytes can be read at `off`; records P5001 when not. */
  need(off: number, size: number, field: string): boolean {
    if (off >= 0 && size >= 0 && off + size <= this.bytes.length) return true;
    const remain = Math.max(0, this.bytes.length - Math.max(0, off));
    const at = this.base + Math.min(Math.max(0, off), this.bytes.length);
    this.diagnostics.push(
      diagnostic(
        "P5001",
        range(at, this.base + this.bytes.length),
        `${this.what} truncated: \`${field}\` at offset ${this.base + off} needs ${size} bytes, ${remain} remain`,
      ),
    );
    return false;
  }

  /** `size` bytes at `off` (a view, not a copy), or undefined (P5001). */
  bytesAt(off: number, size: number, field: string): Uint8Array | undefined {
    if (!this.need(off, size, field)) return undefined;
    return this.bytes.subarray(off, off + size);
  }

  /** Lowercase hex of `size` bytes at `off`, or undefined (P5001). */
  hex(off: number, size: number, field: string): string | undefined {
    const b = this.bytesAt(off, size, field);
    return b === undefined ? undefined : toHex(b);
  }

  u8(off: number, field: string): number | undefined {
    return this.need(off, 1, field) ? (this.bytes[off] as number) : undefined;
  }

  u16(off: number, field: string): number | undefined {
    if (!this.need(off, 2, field)) return undefined;
    return (this.bytes[off] as number) | ((this.bytes[off + 1] as number) << 8);
  }

  u32(off: number, field: string): number | undefined {
    if (!this.need(off, 4, field)) return undefined;
    return (
      ((this.bytes[off] as number) |
        ((this.bytes[off + 1] as number) << 8) |
        ((this.bytes[off + 2] as number) << 16)) +
      (this.bytes[off + 3] as number) * 0x1000000
    );
  }

  /** A u64: a number when ≤ 2^53 − 1, else a bigint. */
  u64(off: number, field: string): number | bigint | undefined {
    const b = this.bytesAt(off, 8, field);
    return b === undefined ? undefined : uintLE(b);
  }

  /** Records a diagnostic on the absolute range of `[off, off + size)` of this structure. */
  report(code: DiagnosticCode, off: number, size: number, message: string): void {
    const start = this.base + Math.min(Math.max(0, off), this.bytes.length);
    const end = this.base + Math.min(Math.max(0, off + size), this.bytes.length);
    this.diagnostics.push(diagnostic(code, range(start, Math.max(start, end)), message));
  }
}
