/**
 * The result of linting one file, as every output format sees it.
 */
import type { AttestationType, Diagnostic } from "@maa-policy/core";

/** One checked file. */
export interface FileReport {
  /** The path as shown to the user (forward slashes in machine formats), or `<stdin>`. */
  readonly path: string;
  readonly text: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly attestationType: AttestationType | undefined;
  /** How many fixes `--fix` applied to the file. */
  readonly fixed: number;
}

/** Error and warning counts over all files. */
export function countSeverities(reports: readonly FileReport[]): { errors: number; warnings: number; infos: number } {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const r of reports) {
    for (const d of r.diagnostics) {
      if (d.severity === "error") errors++;
      else if (d.severity === "warning") warnings++;
      else infos++;
    }
  }
  return { errors, warnings, infos };
}

/** A path with forward slashes (SARIF URIs, GitHub annotations, JUnit class names). */
export function slashPath(p: string): string {
  return p.split("\\").join("/");
}
