/**
 * The `junit` output format: JUnit XML for CI test dashboards. One test suite per file; one
 * failing test case per diagnostic at or above the fail level (the others are listed as passing
 * cases with their message in `system-out`); a clean file is one passing case.
 */
import { LineIndex, catalog, type Diagnostic } from "@maa-policy/core";
import { slashPath, type FileReport } from "./file-report.js";

function xml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "");
}

/** Renders reports as a JUnit XML document. */
export function formatJunit(reports: readonly FileReport[], fails: (d: Diagnostic) => boolean): string {
  let suites = "";
  let totalTests = 0;
  let totalFailures = 0;
  for (const r of reports) {
    const index = new LineIndex(r.text);
    const name = xml(slashPath(r.path));
    let cases = "";
    let failures = 0;
    for (const d of r.diagnostics) {
      const s = index.position(d.range.start);
      const where = `${slashPath(r.path)}:${s.line + 1}:${s.character + 1}`;
      const title = xml(`${d.code} ${catalog[d.code].slug} at ${s.line + 1}:${s.character + 1}`);
      if (fails(d)) {
        failures++;
        cases += `    <testcase classname="${name}" name="${title}">\n      <failure type="${d.severity}" message="${xml(d.message)}">${xml(`${where}: ${d.severity} ${d.code}: ${d.message}`)}</failure>\n    </testcase>\n`;
      } else {
        cases += `    <testcase classname="${name}" name="${title}">\n      <system-out>${xml(`${where}: ${d.severity} ${d.code}: ${d.message}`)}</system-out>\n    </testcase>\n`;
      }
    }
    const tests = Math.max(1, r.diagnostics.length);
    if (r.diagnostics.length === 0) cases = `    <testcase classname="${name}" name="no problems"/>\n`;
    totalTests += tests;
    totalFailures += failures;
    suites += `  <testsuite name="${name}" tests="${tests}" failures="${failures}" errors="0" skipped="0">\n${cases}  </testsuite>\n`;
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="maa-policy check" tests="${totalTests}" failures="${totalFailures}" errors="0">\n${suites}</testsuites>\n`;
}
