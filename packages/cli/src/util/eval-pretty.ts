/**
 * Plain-text rendering of an evaluation result for terminals: the decision, the issued claims,
 * the properties, and (when asked) the trace, one line per rule with the reason it did not fire.
 */
import { LineIndex, type Claim, type ClaimValue, type EvalResult, type TraceEntry } from "@maa-policy/core";

function show(v: ClaimValue): string {
  if (typeof v === "string") {
    const s = JSON.stringify(v);
    return s.length > 100 ? s.slice(0, 98) + "…\"" : s;
  }
  return String(v);
}

function claimLine(c: Claim): string {
  const extra = c.issuer !== "AttestationPolicy" ? ` (issuer ${c.issuer})` : "";
  return `${c.type} = ${show(c.value)}${extra}${c.readOnly ? " [read-only]" : ""}`;
}

/** Renders the trace entries, one block per rule. */
export function renderTrace(trace: readonly TraceEntry[], text: string): string[] {
  const index = new LineIndex(text);
  const lines: string[] = [];
  for (const e of trace) {
    const line = index.position(e.range.start).line + 1;
    const head = `${e.section} rule ${e.rule} (line ${line}): ${e.fired ? "fired" : "not fired"}`;
    lines.push(`  ${head}${e.note ? ` — note: ${e.note}` : ""}`);
    for (const c of e.conditions ?? []) {
      const label = `condition ${c.index + 1}${c.binding ? ` (${c.binding})` : ""}${c.negated ? " (negated)" : ""}`;
      const src = text.slice(c.range.start, c.range.end).replace(/\s+/g, " ");
      if (c.holds) {
        lines.push(`    ${label} holds: ${src} — ${c.negated ? "no claim matched" : `${c.matchedCount} claim${c.matchedCount === 1 ? "" : "s"} matched`}`);
        for (const m of c.matched.slice(0, 5)) lines.push(`      · ${claimLine(m)}`);
      } else if (c.negated) {
        lines.push(`    ${label} fails: ${src} — ${c.matchedCount} claim${c.matchedCount === 1 ? "" : "s"} matched`);
        for (const m of c.matched.slice(0, 5)) lines.push(`      · ${claimLine(m)}`);
      } else if (c.failure) {
        const f = c.failure;
        if (f.test < 0 || f.range === undefined) lines.push(`    ${label} fails: ${src} — there are no incoming claims`);
        else {
          const test = text.slice(f.range.start, f.range.end);
          lines.push(`    ${label} fails: ${src} — no claim passes \`${test}\` (${f.candidates} compared; expected ${f.expected.map(show).join(" | ") || "no value"})`);
          for (const x of f.compared.slice(0, 5)) lines.push(`      · ${x.claim.type}: ${f.property} is ${show(x.actual)}`);
        }
      }
    }
    if (e.fired && (e.effect === "permit" || e.effect === "deny")) lines.push(`    → ${e.effect}()`);
    if (e.produced) {
      const target = e.effect === "issue" ? "issued" : e.effect === "issueproperty" ? "property" : "added";
      if (e.produced.length === 0) lines.push(`    → ${target}: nothing (empty value)`);
      for (const c of e.produced) lines.push(`    → ${target}: ${claimLine(c)}`);
    }
    if (e.error !== undefined) lines.push(`    ✗ ${e.error}`);
  }
  return lines;
}

/** Renders a result: decision, issued claims, properties, token, and the trace when present. */
export function renderEvalResult(result: EvalResult, text: string): string {
  const lines: string[] = [`decision: ${result.decision}`];
  lines.push(result.outgoing.length === 0 ? "issued claims: none" : "issued claims:");
  for (const c of result.outgoing) lines.push(`  ${claimLine(c)}`);
  if (result.properties.length > 0) {
    lines.push("properties:");
    for (const c of result.properties) lines.push(`  ${claimLine(c)}`);
  }
  if (result.trace) {
    lines.push("trace:");
    lines.push(...renderTrace(result.trace, text));
  }
  return lines.join("\n");
}
