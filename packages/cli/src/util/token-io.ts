/**
 * Inputs of the token commands (`pack`, `unpack`, `verify`, `signer-token`, `hash`): files, standard
 * input, or a token given literally on the command line; and the one-line report of a refusal.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import type { CliIo } from "../command.js";
import { readSource, type SourceFile } from "./files.js";

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

/** Whether `text` (trimmed) has the shape of a compact JWS: three base64url parts. */
export function looksLikeToken(text: string): boolean {
  return COMPACT_JWS.test(text.trim());
}

/** Reads a file operand (`-` for standard input) relative to the working directory. */
export function readOperand(operand: string, io: CliIo): Promise<SourceFile> {
  return readSource(operand === "-" ? "-" : path.resolve(io.cwd, operand), io);
}

/** Reads several file operands. */
export async function readOperands(operands: readonly string[], io: CliIo): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const op of operands) out.push(await readOperand(op, io));
  return out;
}

/**
 * Reads a token operand: `-` (standard input), a compact JWS written on the command line, or a
 * file holding a token or a policy text.
 */
export async function readTokenOperand(operand: string, io: CliIo): Promise<SourceFile> {
  if (operand !== "-" && COMPACT_JWS.test(operand)) {
    const exists = await stat(path.resolve(io.cwd, operand)).then(
      () => true,
      () => false,
    );
    if (!exists) return { path: "<argument>", absolutePath: undefined, text: operand };
  }
  return readOperand(operand, io);
}

/** The line printed for a P4xxx refusal: `<file>: error P4009: <message>`. */
export function refusalLine(file: string, code: string, message: string, severity = "error"): string {
  return `${file}: ${severity} ${code}: ${message}\n`;
}
