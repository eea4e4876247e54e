/**
 * The `json` output format:
 * `{"files":[{"path","diagnostics":[{code,severity,message,range,offsets,fixes,…}]}],"summary":{"errors","warnings"}}`
 * with zero-based LSP-style positions.
 */
import { LineIndex, diagnosticToJson } from "@maa-policy/core";
import { countSeverities, type FileReport } from "./file-report.js";

/** Renders reports as one JSON document. */
export function formatJson(reports: readonly FileReport[]): string {
  const { errors, warnings } = countSeverities(reports);
  const json = {
    files: reports.map((r) => {
      const index = new LineIndex(r.text);
      return { path: r.path, diagnostics: r.diagnostics.map((d) => diagnosticToJson(d, index)) };
    }),
    summary: { errors, warnings },
  };
  return JSON.stringify(json, null, 2) + "\n";
}
