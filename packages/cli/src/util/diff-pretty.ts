/**
 * Plain-text rendering of a policy diff for terminals: the verdict, each difference with its
 * smallest input and the trace of both policies on it, the given inputs, and what the search
 * covered (with the reminder that it is a search, not a proof).
 */
import {
  CHANGE_KINDS,
  LineIndex,
  SEARCH_NOTE,
  describeChange,
  inputClaimToJson,
  renderDiagnostic,
  type DiffSources,
  type InputClaim,
  type InputComparison,
  type PolicyDiff,
  type RuleCoverage,
} from "@maa-policy/core";
import { renderTrace } from "./eval-pretty.js";

function claimLine(c: InputClaim): string {
  const j = inputClaimToJson(c);
  const vt = j.valueType !== undefined && typeof j.value === "string" && j.valueType !== "String" ? ` (${j.valueType})` : "";
  const issuer = j.issuer !== undefined && j.issuer !== "AttestationService" ? ` (issuer ${j.issuer})` : "";
  const v = JSON.stringify(j.value);
  return `${j.type} = ${v.length > 100 ? v.slice(0, 98) + "…\"" : v}${vt}${issuer}`;
}

function inputLines(claims: readonly InputClaim[]): string[] {
  if (claims.length === 0) return ["    (no claims)"];
  return claims.map((c) => `    ${claimLine(c)}`);
}

function outcomeLine(label: string, c: InputComparison, side: "old" | "new"): string {
  const r = c[side];
  const issued = r.decision === "permit" ? `, ${r.outgoing.length} claim${r.outgoing.length === 1 ? "" : "s"} issued` : "";
  return `  ${label}: ${r.decision}${issued}`;
}

function coverageLine(name: string, c: RuleCoverage, text: string): string[] {
  const index = new LineIndex(text);
  const lines = [`  ${name}: ${c.fired}/${c.total} rules fired`];
  for (const u of c.unfired) lines.push(`    never fired: ${u.section} rule ${u.rule} (line ${index.position(u.range.start).line + 1})`);
  return lines;
}

/** Renders a diff for a terminal. */
export function renderDiffPretty(diff: PolicyDiff, s: DiffSources, color: boolean): string {
  const out: string[] = [];
  const head = `${s.oldName} → ${s.newName}`;
  if (diff.status === "error") {
    out.push(`${head}: cannot compare: a policy has errors`);
    for (const [name, text, list] of [[s.oldName, s.oldText, diff.diagnostics.old], [s.newName, s.newText, diff.diagnostics.new]] as const) {
      const index = new LineIndex(text);
      for (const d of list.filter((x) => x.severity === "error")) out.push("", renderDiagnostic(text, d, { fileName: name, color, lineIndex: index }));
    }
    return out.join("\n") + "\n";
  }
  if (diff.status === "equivalent") {
    out.push(`${head}: equivalent (shown from their structure, without searching)`);
    if (diff.structural?.identical) out.push("  the texts are identical");
    for (const n of diff.structural?.notes ?? []) out.push(`  ${n}`);
  } else if (diff.status === "no-difference-found") {
    out.push(`${head}: no difference found (the texts differ; no given or generated input tells them apart)`);
  } else {
    const parts = CHANGE_KINDS.filter((k) => diff.summary.kinds[k] > 0).map((k) => `${diff.summary.kinds[k]} ${k}`);
    out.push(`${head}: ${diff.summary.differences} difference${diff.summary.differences === 1 ? "" : "s"}${parts.length > 0 ? ` (${parts.join(", ")})` : ""}`);
  }
  const search = diff.search;
  for (const d of search?.differences ?? []) {
    out.push("", `${d.name}: ${d.summary}  [${d.kinds.join(", ")}]`);
    if (d.cause.length > 0) out.push(`  because: ${d.cause.join("; ")}`);
    const others = d.changes.filter((c) => c !== d.change && describeChange(c) !== d.summary);
    for (const c of others) out.push(`  also on this input: ${describeChange(c)}`);
    out.push(`  smallest input (${d.claims.length} claim${d.claims.length === 1 ? "" : "s"}; ${d.occurrences} generated input${d.occurrences === 1 ? "" : "s"} showed this):`);
    out.push(...inputLines(d.claims));
    out.push(outcomeLine(`old ${s.oldName}`, d, "old"));
    out.push(...renderTrace(d.old.trace ?? [], s.oldText).map((l) => "  " + l));
    out.push(outcomeLine(`new ${s.newName}`, d, "new"));
    out.push(...renderTrace(d.new.trace ?? [], s.newText).map((l) => "  " + l));
  }
  if (search !== undefined && search.distinct > search.differences.length) {
    out.push("", `…and ${search.distinct - search.differences.length} more distinct changes (raise --max-differences, or use --format json)`);
  }
  if (diff.given.length > 0) {
    out.push("", "given inputs:");
    for (const g of diff.given) {
      if (g.changes.length === 0) out.push(`  ${g.name}: no change (${g.old.decision})`);
      else {
        out.push(`  ${g.name}: ${g.changes.map(describeChange).join("; ")}  [${g.kinds.join(", ")}]`);
        out.push(`  old ${s.oldName}: ${g.old.decision}`);
        out.push(...renderTrace(g.old.trace ?? [], s.oldText).map((l) => "  " + l));
        out.push(`  new ${s.newName}: ${g.new.decision}`);
        out.push(...renderTrace(g.new.trace ?? [], s.newText).map((l) => "  " + l));
      }
    }
  }
  if (search !== undefined) {
    out.push(
      "",
      `search: ${search.inputs} generated input${search.inputs === 1 ? "" : "s"}${search.truncated ? " (cut by --max-inputs)" : ""} over ${search.claimTypes} claim types and ${search.values} values` +
        (search.jmesPath.queries > 0 ? `; documents for ${search.jmesPath.witnessed} of ${search.jmesPath.queries} JMESPath queries` : ""),
    );
    out.push(`coverage (target: ${search.target}, ${search.targetMet ? "met" : "not met"}):`);
    out.push(...coverageLine(`old ${s.oldName}`, search.coverage.old, s.oldText), ...coverageLine(`new ${s.newName}`, search.coverage.new, s.newText));
    out.push(`note: ${SEARCH_NOTE}`);
  }
  return out.join("\n") + "\n";
}
