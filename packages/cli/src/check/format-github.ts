/**
 * The `github` output format: GitHub Actions workflow commands (`::error file=…,line=…::msg`),
 * which the runner turns into annotations on the pull request. Info diagnostics become notices.
 */
import { LineIndex, catalog } from "@maa-policy/core";
import { countSeverities, slashPath, type FileReport } from "./file-report.js";

function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** Renders reports as workflow commands, then a plain summary line. */
export function formatGithub(reports: readonly FileReport[]): string {
  let out = "";
  for (const r of reports) {
    const index = new LineIndex(r.text);
    for (const d of r.diagnostics) {
      const s = index.position(d.range.start);
      const e = index.position(d.range.end);
      const command = d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "notice";
      const props = [
        `file=${escapeProperty(slashPath(r.path))}`,
        `line=${s.line + 1}`,
        `col=${s.character + 1}`,
        `endLine=${e.line + 1}`,
        `endColumn=${e.character + 1}`,
        `title=${escapeProperty(`${d.code} ${catalog[d.code].slug}`)}`,
      ];
      out += `::${command} ${props.join(",")}::${escapeData(d.message)}\n`;
    }
  }
  const { errors, warnings } = countSeverities(reports);
  return out + `${reports.length} file${reports.length === 1 ? "" : "s"} checked: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}\n`;
}
