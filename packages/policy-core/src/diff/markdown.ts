/**
 * `renderDiffMarkdown(report)`: the diff as Markdown fit for a pull-request comment: the verdict,
 * one table row per difference (its smallest input and both decisions), the given inputs, what
 * the search covered, and the rules that fired on each side of each difference.
 */
import type { EvalResultJson } from "../eval/result-json.js";
import { CHANGE_KINDS } from "./compare.js";
import type { JsonInputClaim, JsonInputComparison, JsonOutcome, PolicyDiffJson } from "./report-json.js";

function cell(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n|\r/g, " ");
}

function code(s: string): string {
  const t = s.replace(/\r?\n|\r/g, " ");
  return t.includes("`") ? `\`\` ${t} \`\`` : `\`${t}\``;
}

function claimText(c: JsonInputClaim): string {
  const v = JSON.stringify(c.value);
  const shown = v.length > 100 ? v.slice(0, 97) + "…" : v;
  const issuer = c.issuer !== undefined && c.issuer !== "AttestationService" ? ` (issuer ${c.issuer})` : "";
  const vt = c.valueType !== undefined && typeof c.value === "string" && c.valueType !== "String" ? ` (${c.valueType})` : "";
  return `${c.type} = ${shown}${vt}${issuer}`;
}

function inputText(claims: readonly JsonInputClaim[]): string {
  if (claims.length === 0) return "no claims";
  return claims.map((c) => code(claimText(c))).join(", ");
}

function fired(r: EvalResultJson | JsonOutcome): string {
  if (!("trace" in r) || r.trace === null) return "";
  const rules = r.trace.filter((e) => e["fired"] === true).map((e) => `${String(e["section"]).replace("rules", "")} ${String(e["rule"])}`);
  return rules.length > 0 ? rules.join(", ") : "none";
}

function kindsLine(r: PolicyDiffJson): string {
  const parts = CHANGE_KINDS.filter((k) => r.summary.kinds[k] > 0).map((k) => `${r.summary.kinds[k]} ${k}`);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

function changesText(c: JsonInputComparison): string {
  return c.changes
    .map((x) => {
      if (x.kind === "decision") return `decision ${x.old} → ${x.new}`;
      const what = x.target === "claims" ? "claim" : "property";
      if (x.kind === "claim-added") return `${what} ${code(x.type)} added: ${(x.new ?? []).join(", ")}`;
      if (x.kind === "claim-removed") return `${what} ${code(x.type)} removed (was ${(x.old ?? []).join(", ")})`;
      return `${what} ${code(x.type)}: ${(x.old ?? []).join(", ")} → ${(x.new ?? []).join(", ")}`;
    })
    .join("; ");
}

/** Renders a diff report as Markdown. */
export function renderDiffMarkdown(r: PolicyDiffJson): string {
  const out: string[] = [];
  out.push(`### Policy diff: ${code(r.old)} → ${code(r.new)}`, "");
  if (r.status === "error") {
    out.push("**Cannot compare:** a policy has errors.", "");
    for (const [side, list] of [["old", r.diagnostics.old], ["new", r.diagnostics.new]] as const) {
      for (const d of list.filter((x) => x.severity === "error").slice(0, 10)) {
        out.push(`- ${code(side === "old" ? r.old : r.new)} line ${d.range.start.line + 1}: ${d.code} ${cell(d.message)}`);
      }
    }
    return out.join("\n") + "\n";
  }
  if (r.status === "equivalent") {
    const how = r.equivalence?.identical ? "the texts are identical" : (r.equivalence?.notes ?? []).join("; ");
    out.push(`**Equivalent**: ${how}. Shown from the structure of the two policies, without searching.`, "");
  } else if (r.status === "no-difference-found") {
    out.push("**No difference found.** The policies differ in text, and no given or generated input tells them apart.", "");
  } else {
    const n = r.summary.differences;
    out.push(`**${n} difference${n === 1 ? "" : "s"}**${kindsLine(r)}.`, "");
  }
  const s = r.search;
  if (s !== null && s.differences.length > 0) {
    out.push("| # | Change | Kind | Smallest input | Old | New | Rules fired (old / new) |", "|---|---|---|---|---|---|---|");
    s.differences.forEach((d, i) => {
      out.push(
        `| ${i + 1} | ${cell(changesText({ ...d, changes: [d.change] }) + (d.cause.length > 0 ? ` (${d.cause.join("; ")})` : ""))} | ${d.kinds.join(", ")} | ${cell(inputText(d.claims))} | ${d.old.decision} | ${d.new.decision} | ${cell(fired(d.old))} / ${cell(fired(d.new))} |`,
      );
    });
    if (s.distinct > s.differences.length) out.push("", `…and ${s.distinct - s.differences.length} more (see the JSON report).`);
    out.push("");
  }
  if (r.given.length > 0) {
    out.push("| Given input | Old | New | Changes |", "|---|---|---|---|");
    for (const g of r.given) out.push(`| ${cell(code(g.name))} | ${g.old.decision} | ${g.new.decision} | ${cell(g.changes.length > 0 ? changesText(g) : "none")} |`);
    out.push("");
  }
  if (s !== null) {
    const cov = (c: { fired: number; total: number }): string => `${c.fired}/${c.total}`;
    out.push(
      `Searched ${s.inputs} generated input${s.inputs === 1 ? "" : "s"}${s.truncated ? " (the budget cut the generation)" : ""} over ${s.claimTypes} claim type${s.claimTypes === 1 ? "" : "s"} and ${s.values} values` +
        `${s.jmesPath.queries > 0 ? `, with documents for ${s.jmesPath.witnessed} of ${s.jmesPath.queries} JMESPath quer${s.jmesPath.queries === 1 ? "y" : "ies"}` : ""}. ` +
        `Rules fired: old ${cov(s.coverage.old)}, new ${cov(s.coverage.new)} (target: ${s.target}, ${s.targetMet ? "met" : "not met"}).`,
    );
    const unfired = [...s.coverage.old.unfired.map((u) => ({ ...u, side: r.old })), ...s.coverage.new.unfired.map((u) => ({ ...u, side: r.new }))];
    if (unfired.length > 0) out.push("", `Never fired: ${unfired.map((u) => `${code(u.side)} ${u.section} rule ${u.rule} (line ${u.line})`).join(", ")}.`);
    out.push("", `> ${s.note.charAt(0).toUpperCase()}${s.note.slice(1)}.`);
  }
  return out.join("\n") + "\n";
}
