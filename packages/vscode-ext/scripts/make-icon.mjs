#!/usr/bin/env node
/**
 * Draws the extension's icon, `images/icon.png` (128×128 RGBA): a blue rounded square with a white
 * shield and a check mark. Deterministic and dependency-free (node:zlib), so that the icon can be
 * regenerated anywhere: `node packages/vscode-ext/scripts/make-icon.mjs`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

const SIZE = 128;
const SAMPLES = 4; // supersampling per axis, for anti-aliased edges
const BLUE = [11, 92, 173];
const WHITE = [255, 255, 255];

function insideRoundedSquare(x, y) {
  const m = 4, r = 22, lo = m + r, hi = SIZE - m - r;
  const cx = Math.min(Math.max(x, lo), hi), cy = Math.min(Math.max(y, lo), hi);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= m && x <= SIZE - m && y >= m && y <= SIZE - m;
}

/** A shield: flat top corners, straight sides, a rounded point at the bottom; `inset` shrinks it. */
function insideShield(x, y, inset) {
  const top = 18 + inset, left = 28 + inset, right = 100 - inset, bottom = 111 - inset * 1.4, shoulder = 62;
  const mid = SIZE / 2;
  const dx = Math.abs(x - mid), half = (right - left) / 2;
  if (y < top || y > bottom) return false;
  // The top edge rises from the sides (y = top + 13) to the middle (y = top).
  if (y < top + 13 * (dx / half)) return false;
  if (y <= shoulder) return dx <= half;
  // Below the shoulder the sides curve in to the point.
  const t = (y - shoulder) / (bottom - shoulder);
  return dx <= half * Math.sqrt(Math.max(0, 1 - t * t));
}

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const vx = bx - ax, vy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy)));
  return Math.hypot(px - (ax + t * vx), py - (ay + t * vy));
}

function onCheck(x, y) {
  const a = [47, 63], b = [59, 76], c = [82, 50];
  return Math.min(distanceToSegment(x, y, a, b), distanceToSegment(x, y, b, c)) <= 4.5;
}

/** The colour of one sample point, or null for transparent. */
function sample(x, y) {
  if (!insideRoundedSquare(x, y)) return null;
  if (insideShield(x, y, 0) && !insideShield(x, y, 9)) return WHITE;
  if (onCheck(x, y)) return WHITE;
  return BLUE;
}

const rows = [];
for (let y = 0; y < SIZE; y++) {
  const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0, then RGBA
  for (let x = 0; x < SIZE; x++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const c = sample(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES);
        if (c) { r += c[0]; g += c[1]; b += c[2]; a++; }
      }
    }
    const o = 1 + x * 4;
    if (a > 0) { row[o] = Math.round(r / a); row[o + 1] = Math.round(g / a); row[o + 2] = Math.round(b / a); }
    row[o + 3] = Math.round((a * 255) / (SAMPLES * SAMPLES));
  }
  rows.push(row);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk("IHDR", ihdr),
  chunk("IDAT", deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk("IEND", Buffer.alloc(0)),
]);
const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "images", "icon.png");
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, png);
process.stdout.write(`make-icon: ${path.relative(process.cwd(), out)} (${png.length} bytes)\n`);
