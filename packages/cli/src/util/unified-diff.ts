/**
 * Unified diffs (`diff -u` style) between two texts, from a Myers O(ND) line diff.
 */

/** One line of an edit script. */
export interface DiffLine {
  readonly kind: "equal" | "delete" | "insert";
  readonly text: string;
}

/** Above this many differences, the changed middle is shown as one replaced block. */
const MAX_EDIT_DISTANCE = 4000;

/**
 * The shortest edit script from `a` to `b` (Myers' greedy algorithm, after stripping the common
 * prefix and suffix). Very different inputs fall back to "delete all, insert all" for the middle.
 */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  const out: DiffLine[] = a.slice(0, pre).map((text) => ({ kind: "equal", text }));
  out.push(...middle(am, bm));
  out.push(...a.slice(a.length - suf).map((text): DiffLine => ({ kind: "equal", text })));
  return out;
}

function middle(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  const replaceAll = (): DiffLine[] => [
    ...a.map((text): DiffLine => ({ kind: "delete", text })),
    ...b.map((text): DiffLine => ({ kind: "insert", text })),
  ];
  if (n === 0 || m === 0) return replaceAll();
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number)) ? (v[offset + k + 1] as number) : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return replaceAll();
  const script: DiffLine[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const snap = trace[d] as Int32Array;
    const at = (k: number): number => snap[k + d + 1] as number;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      script.push({ kind: "equal", text: a[--x] as string });
      y--;
    }
    if (x === prevX) script.push({ kind: "insert", text: b[--y] as string });
    else script.push({ kind: "delete", text: a[--x] as string });
  }
  while (x > 0 && y > 0) {
    script.push({ kind: "equal", text: a[--x] as string });
    y--;
  }
  return script.reverse();
}

/** Splits a text into lines for diffing: line breaks removed, a final line break makes no empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * A unified diff of `before` and `after` with `context` lines around each change, headed
 * `--- a/<name>` / `+++ b/<name>`; the empty string when the line contents are the same.
 * A difference only in line endings is reported in a note line.
 */
export function unifiedDiff(name: string, before: string, after: string, context = 3): string {
  const script = diffLines(splitLines(before), splitLines(after));
  const changed: number[] = [];
  script.forEach((l, i) => {
    if (l.kind !== "equal") changed.push(i);
  });
  if (changed.length === 0) {
    return before === after ? "" : `--- a/${name}\n+++ b/${name}\n@@ line endings or final line break changed @@\n`;
  }
  const out = [`--- a/${name}`, `+++ b/${name}`];
  // Line numbers (1-based) of each script entry in the old and new texts.
  const oldNo: number[] = [];
  const newNo: number[] = [];
  let o = 1;
  let nw = 1;
  for (const l of script) {
    oldNo.push(o);
    newNo.push(nw);
    if (l.kind !== "insert") o++;
    if (l.kind !== "delete") nw++;
  }
  let i = 0;
  while (i < changed.length) {
    let last = changed[i] as number;
    const first = last;
    let j = i + 1;
    while (j < changed.length && (changed[j] as number) - last <= 2 * context) last = changed[j++] as number;
    const from = Math.max(0, first - context);
    const to = Math.min(script.length - 1, last + context);
    let oldCount = 0;
    let newCount = 0;
    const body: string[] = [];
    for (let k = from; k <= to; k++) {
      const l = script[k] as DiffLine;
      if (l.kind !== "insert") oldCount++;
      if (l.kind !== "delete") newCount++;
      body.push((l.kind === "equal" ? " " : l.kind === "delete" ? "-" : "+") + l.text);
    }
    const oldStart = oldCount === 0 ? (oldNo[from] as number) - 1 : (oldNo[from] as number);
    const newStart = newCount === 0 ? (newNo[from] as number) - 1 : (newNo[from] as number);
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`, ...body);
    i = j;
  }
  return out.join("\n") + "\n";
}
