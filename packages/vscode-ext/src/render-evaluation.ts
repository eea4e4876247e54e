/**
 * Renders the server's evaluation result as plain text for the "MAA Policy: Evaluation" output
 * channel: the decision, the outgoing claims, the properties, the diagnostics and the trace.
 * Presentation only: every value comes from the server.
 */
import type { EvaluateResult, ResultClaim, ResultTraceEntry } from "./protocol.js";

function claimLine(c: ResultClaim): string {
  return `  ${c.type} = ${JSON.stringify(c.value)}  (${c.valueType}, ${c.issuer})`;
}

function claimList(title: string, claims: readonly ResultClaim[]): string[] {
  if (claims.length === 0) return [`${title}: none`];
  return [`${title} (${claims.length}):`, ...claims.map(claimLine)];
}

function traceLines(entry: ResultTraceEntry): string[] {
  const where = entry.range ? `line ${entry.range.start.line + 1}` : "";
  const head = `  ${entry.section ?? "?"} rule ${entry.rule ?? "?"}${where ? ` (${where})` : ""}: ${
    entry.fired ? "fired" : "not fired"
  }${entry.verb ? `, ${entry.verb}` : ""}${entry.effect ? ` → ${entry.effect}` : ""}`;
  const out = [head];
  for (const c of entry.conditions ?? []) {
    const name = `${c.negated ? "!" : ""}${c.binding ? `${c.binding}:` : ""}[…]`;
    out.push(`      condition ${c.index + 1} ${name}: ${c.holds ? "holds" : "does not hold"} (${c.matchedCount} claim${c.matchedCount === 1 ? "" : "s"} matched)`);
  }
  for (const p of entry.produced ?? []) out.push(`      produced${claimLine(p).slice(1)}`);
  if (entry.note) out.push(`      note: ${entry.note}`);
  if (entry.error) out.push(`      error: ${entry.error}`);
  return out;
}

/** The text shown for one evaluation. */
export function renderEvaluation(result: EvaluateResult, policy: string, claims: string): string {
  const ev = result.evidence;
  const lines = [`Policy: ${policy}`, `${ev ? "Evidence" : "Claims"}: ${claims}`];
  if (ev) {
    lines.push(`Evidence: ${ev.type}, ${ev.verified ? "verified" : "REFUSED (the service would not evaluate the policy)"}`);
    for (const d of ev.diagnostics) lines.push(`  bytes ${d.range.start}..${d.range.end}: ${d.severity} ${d.code}: ${d.message}`);
    for (const c of ev.checks) lines.push(`  ${c.status.padEnd(11)}  ${c.title}: ${c.detail}`);
  }
  lines.push(`Decision: ${result.decision.toUpperCase()}`, "");
  lines.push(...claimList("Outgoing claims", result.outgoing), "");
  lines.push(...claimList("Properties", result.properties), "");
  if (result.diagnostics.length > 0) {
    lines.push(`Diagnostics (${result.diagnostics.length}):`);
    for (const d of result.diagnostics) {
      lines.push(`  ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code}: ${d.message}`);
    }
    lines.push("");
  }
  if (Object.keys(result.token).length > 0) {
    lines.push("Token claims:", ...JSON.stringify(result.token, null, 2).split("\n").map((l) => `  ${l}`), "");
  }
  if (result.attestationToken) {
    lines.push("Attestation token (what a relying party would receive):", ...JSON.stringify(result.attestationToken, null, 2).split("\n").map((l) => `  ${l}`), "");
  }
  if (result.trace && result.trace.length > 0) {
    lines.push("Trace:");
    for (const e of result.trace) lines.push(...traceLines(e));
    lines.push("");
  }
  return lines.join("\n");
}
