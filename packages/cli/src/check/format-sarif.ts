/**
 * The `sarif` output format: a SARIF 2.1.0 log (GitHub code scanning, Azure DevOps), one run,
 * with the rule metadata of every code reported and the fixes as SARIF fixes. Columns are
 * 1-based UTF-16 code units, as the run declares.
 */
import { LineIndex, catalog, docsPath, type Diagnostic } from "@maa-policy/core";
import { slashPath, type FileReport } from "./file-report.js";

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

function level(d: Diagnostic): "error" | "warning" | "note" {
  return d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "note";
}

function region(index: LineIndex, r: { start: number; end: number }) {
  const s = index.position(r.start);
  const e = index.position(r.end);
  return { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

/** Renders reports as a SARIF 2.1.0 log. */
export function formatSarif(reports: readonly FileReport[], version: string): string {
  const codes = [...new Set(reports.flatMap((r) => r.diagnostics.map((d) => d.code)))].sort();
  const rules = codes.map((code) => {
    const e = catalog[code];
    return {
      id: code,
      name: e.slug,
      shortDescription: { text: e.summary },
      help: { text: `See ${docsPath(code)}` },
      defaultConfiguration: { level: e.severity === "error" ? "error" : e.severity === "warning" ? "warning" : "note" },
      properties: { phase: e.phase },
    };
  });
  const results = reports.flatMap((r) => {
    const index = new LineIndex(r.text);
    const uri = slashPath(r.path);
    const artifactLocation = { uri, uriBaseId: "%SRCROOT%" };
    return r.diagnostics.map((d) => ({
      ruleId: d.code,
      ruleIndex: codes.indexOf(d.code),
      level: level(d),
      message: { text: d.message },
      locations: [{ physicalLocation: { artifactLocation, region: region(index, d.range) } }],
      ...(d.related
        ? {
            relatedLocations: d.related.map((rel, i) => ({
              id: i,
              message: { text: rel.message },
              physicalLocation: { artifactLocation, region: region(index, rel.range) },
            })),
          }
        : {}),
      ...(d.fix
        ? {
            fixes: [
              {
                description: { text: d.fix.title },
                artifactChanges: [
                  {
                    artifactLocation,
                    replacements: d.fix.edits.map((e) => ({ deletedRegion: region(index, e.range), insertedContent: { text: e.newText } })),
                  },
                ],
              },
            ],
          }
        : {}),
    }));
  });
  const log = {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "maa-policy", semanticVersion: version, informationUri: "https://learn.microsoft.com/azure/attestation/policy-reference", rules } },
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}
