/**
 * A readable, stable dump of a syntax tree and its diagnostics, for golden files.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Node } from "../syntax/ast.js";
import { childrenOf } from "../syntax/walk.js";

const SALIENT: Record<string, readonly string[]> = {
  PolicyFile: ["bom"],
  VersionDecl: ["value"],
  Section: ["name", "nameText"],
  Condition: ["negated"],
  Test: ["property", "operator"],
  Action: ["verb", "verbText"],
  Argument: ["name"],
  StringLiteral: ["value"],
  IntegerLiteral: ["raw"],
  BooleanLiteral: ["value"],
  Identifier: ["name"],
  Call: ["callee"],
};

/** Dumps a tree as indented lines `Kind start..end field=value …`, comments last. */
export function dumpTree(root: Node): string {
  const lines: string[] = [];
  const visit = (n: Node, depth: number) => {
    const fields = (SALIENT[n.kind] ?? [])
      .map((k) => {
        const v = (n as unknown as Record<string, unknown>)[k];
        if (v === undefined || v === false || v === "") return "";
        return `${k}=${JSON.stringify(v)}`;
      })
      .filter((s) => s !== "");
    lines.push(`${"  ".repeat(depth)}${n.kind} ${n.range.start}..${n.range.end}${fields.length ? " " + fields.join(" ") : ""}`);
    for (const c of childrenOf(n)) visit(c, depth + 1);
  };
  visit(root, 0);
  if (root.kind === "PolicyFile") {
    for (const c of root.comments) lines.push(`Comment ${c.range.start}..${c.range.end} ${JSON.stringify(c.text)}`);
  }
  return lines.join("\n") + "\n";
}

/** Dumps diagnostics as `severity start..end CODE: message` lines, with fixes indented under them. */
export function dumpDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const lines: string[] = [];
  for (const d of diagnostics) {
    lines.push(`${d.severity} ${d.range.start}..${d.range.end} ${d.code}: ${d.message}`);
    if (d.fix) {
      for (const e of d.fix.edits) lines.push(`  fix "${d.fix.title}": ${e.range.start}..${e.range.end} => ${JSON.stringify(e.newText)}`);
    }
  }
  return lines.join("\n") + (lines.length ? "\n" : "");
}
