/**
 * `--fix`: applies the safe fixes of a text repeatedly (a fix may make another one possible, or
 * overlap one applied in the same pass) until none is left, then writes the file atomically
 * (a temporary file in the same directory, renamed over the original).
 */
import { rename, stat, unlink, writeFile, chmod } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { applyFixes, check, hasSafeFix, type CheckOptions, type CheckResult } from "@maa-policy/core";

/** At most this many fix passes per file (each pass re-checks the text). */
export const MAX_FIX_PASSES = 10;

/** Applies safe fixes until none is left; returns the final text, its check result and the number of fixes applied. */
export function fixText(text: string, options: CheckOptions): { text: string; result: CheckResult; fixed: number } {
  let current = text;
  let result = check(current, options);
  let fixed = 0;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const fixes = result.diagnostics.filter(hasSafeFix).map((d) => d.fix as NonNullable<typeof d.fix>);
    if (fixes.length === 0) break;
    const next = applyFixes(current, fixes);
    if (next === current) break;
    // A fix that overlapped another is skipped by `applyFixes`; count what the pass resolved.
    const after = check(next, options);
    const before = result.diagnostics.filter(hasSafeFix).length;
    const left = after.diagnostics.filter(hasSafeFix).length;
    fixed += Math.max(1, before - left);
    current = next;
    result = after;
  }
  return { text: current, result, fixed };
}

/** Writes `text` to `file` atomically: a temporary sibling file renamed over it. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomUUID()}.maa-policy-tmp`);
  let mode: number | undefined;
  try {
    mode = (await stat(file)).mode & 0o777;
  } catch {
    mode = undefined;
  }
  try {
    await writeFile(tmp, text, "utf8");
    if (mode !== undefined) await chmod(tmp, mode);
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}
