/**
 * The `pretty` output format: each diagnostic rendered with its source line and a squiggle
 * (the core renderer), then a one-line summary.
 */
import { LineIndex, renderDiagnostic } from "@maa-policy/core";
import { countSeverities, type FileReport } from "./file-report.js";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Renders reports for a terminal or a log. */
export function formatPretty(reports: readonly FileReport[], options: { color: boolean; ignored: number }): string {
  let out = "";
  for (const r of reports) {
    if (r.diagnostics.length === 0) continue;
    const index = new LineIndex(r.text);
    for (const d of r.diagnostics) out += renderDiagnostic(r.text, d, { fileName: r.path, color: options.color, lineIndex: index }) + "\n\n";
  }
  const { errors, warnings, infos } = countSeverities(reports);
  const fixed = reports.reduce((n, r) => n + r.fixed, 0);
  const parts = [plural(errors, "error"), plural(warnings, "warning")];
  if (infos > 0) parts.push(`${infos} info`);
  let line = `${plural(reports.length, "file")} checked: ${parts.join(", ")}`;
  if (fixed > 0) line += `; ${plural(fixed, "fix")} applied`.replace("fixs", "fixes");
  if (options.ignored > 0) line += `; ${plural(options.ignored, "file")} ignored`;
  return out + line + "\n";
}
