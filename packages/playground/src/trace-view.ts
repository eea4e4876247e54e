/**
 * The rule trace as the playground and the console show it, one module for both pages: an item per
 * rule evaluated with its outcome, its position (and its text, when the caller has it), the claims it
 * added or issued, the claims its conditions matched, and for a rule that did not fire the condition
 * that did not hold with the values compared. It renders policy-core's trace JSON
 * (`evalResultToJson`, level `full`) as given and decides nothing about the policy.
 */

/** One trace entry: policy-core's JSON, plus `source` (the rule's text) when the service sends it. */
export type TraceJson = Readonly<Record<string, unknown>>;

interface JsonPosition {
  readonly line: number;
  readonly character: number;
}
interface JsonClaimLike {
  readonly type: string;
  readonly value: unknown;
}
interface ConditionJson {
  readonly index: number;
  readonly range: { readonly start: JsonPosition };
  readonly negated: boolean;
  readonly holds: boolean;
  readonly matchedCount: number;
  readonly matched: readonly JsonClaimLike[];
  readonly failure?: {
    readonly test: number;
    readonly property: string | null;
    readonly operator: string | null;
    readonly expected: readonly unknown[];
    readonly candidates: number;
    readonly compared: readonly { readonly claim: JsonClaimLike; readonly actual: unknown }[];
  };
}

/** What the caller adds to the plain rendering. */
export interface TraceViewOptions {
  /** Makes each rule's title a button (`data-index`); called with the entry's index when activated. */
  readonly onSelect?: (index: number) => void;
  /** Shows each rule's text (the entry's `source`) under its title. */
  readonly showSource?: boolean;
}

const MATCHED_SHOWN = 3;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

const shown = (v: unknown) => JSON.stringify(v) ?? String(v);
const position = (p: JsonPosition | undefined) => (p ? `line ${p.line + 1}, column ${p.character + 1}` : "");
const claimText = (c: JsonClaimLike) => `${c.type} = ${shown(c.value)}`;

/** The one-line title of an entry: `<section> #<n>: fired (<effect>)` or `… did not fire`, and its error. */
export function traceTitle(e: TraceJson): string {
  const outcome = e["fired"] ? `fired (${String(e["effect"] ?? e["verb"])})` : "did not fire";
  return `${String(e["section"])} #${String(e["rule"])}: ${outcome}${e["error"] ? ` (${String(e["error"])})` : ""}`;
}

/** Why a condition did not hold, in one line. */
function conditionFailure(c: ConditionJson): string {
  const which = `condition ${c.index + 1} (${position(c.range.start)})`;
  if (c.negated) return `${which} is negated and ${c.matchedCount} claim${c.matchedCount === 1 ? "" : "s"} matched it`;
  const f = c.failure;
  if (!f || f.test < 0) return `${which} matched no claim: there were no claims to test`;
  const test = [f.property, f.operator, f.expected.map(shown).join(" or ")].filter((x) => x !== null && x !== "").join(" ");
  return `${which} matched no claim: test ${f.test + 1} (${test}) held for none of ${f.candidates} claim${f.candidates === 1 ? "" : "s"}`;
}

function claimList(label: string, claims: readonly JsonClaimLike[], total: number, className: string): HTMLElement {
  const box = el("div", className);
  box.append(el("span", "label", `${label}: `));
  const ul = el("ul", "");
  for (const c of claims) ul.append(el("li", "", claimText(c)));
  if (total > claims.length) ul.append(el("li", "more", `and ${total - claims.length} more`));
  box.append(ul);
  return box;
}

/** The label of the claims a fired rule produced. */
function producedLabel(effect: unknown): string {
  if (effect === "add") return "claims added";
  if (effect === "issue") return "claims issued";
  return `claims produced (${String(effect)})`;
}

/** One entry as a list item. */
export function traceItem(e: TraceJson, index: number, options: TraceViewOptions = {}): HTMLLIElement {
  const li = el("li", `trace-rule ${e["fired"] ? "fired" : "skipped"}`);
  const title = options.onSelect ? el("button", "") : el("span", "");
  title.classList.add("title", e["fired"] ? "fired" : "skipped");
  title.dataset["index"] = String(index);
  title.textContent = traceTitle(e);
  if (options.onSelect && title instanceof HTMLButtonElement) {
    const select = options.onSelect;
    title.type = "button";
    title.onclick = () => select(index);
  }
  li.append(title);
  const range = e["range"] as { start?: JsonPosition } | undefined;
  li.append(el("span", "where", ` ${position(range?.start)}`));
  if (typeof e["note"] === "string") li.append(el("div", "note", e["note"]));
  if (options.showSource && typeof e["source"] === "string") li.append(el("pre", "source", e["source"]));
  const conditions = (e["conditions"] as readonly ConditionJson[] | undefined) ?? [];
  if (e["fired"]) {
    const matched = conditions.filter((c) => !c.negated && c.matched.length > 0);
    for (const c of matched) li.append(claimList(`condition ${c.index + 1} matched`, c.matched.slice(0, MATCHED_SHOWN), c.matchedCount, "matched"));
    const produced = (e["produced"] as readonly JsonClaimLike[] | undefined) ?? [];
    if (produced.length > 0) li.append(claimList(producedLabel(e["effect"]), produced, produced.length, "produced"));
  } else {
    const failed = conditions.find((c) => !c.holds);
    if (failed) {
      li.append(el("div", "why", conditionFailure(failed)));
      const compared = failed.failure?.compared ?? [];
      if (compared.length > 0) {
        li.append(
          claimList(
            "compared",
            compared.map((x) => ({ type: x.claim.type, value: x.actual })),
            failed.failure?.candidates ?? compared.length,
            "compared",
          ),
        );
      }
    }
  }
  return li;
}

/** Replaces `list`'s children with the trace's items. */
export function renderTrace(list: HTMLElement, entries: readonly TraceJson[], options: TraceViewOptions = {}): void {
  list.classList.add("trace");
  list.replaceChildren(...entries.map((e, i) => traceItem(e, i, options)));
}
