/**
 * The analysis worker: the language server's own feature functions (packages/lsp-server/src/features)
 * and policy-core, run off the UI thread on the page's one document. It answers in LSP shapes; the
 * page's adapter (monaco-adapter.ts) turns them into Monaco's. No language logic lives here: every
 * answer is a call into lsp-server, policy-core or @maa-policy/evidence.
 */
import {
  ACTION_NAMES,
  COMPARISON_OPERATORS,
  FUNCTION_NAMES,
  KEYWORDS,
  PROPERTY_NAMES,
  SECTION_NAMES,
  compile,
  evaluate,
  evalResultToJson,
  isAttestationType,
  packPolicy,
  parseClaimsInput,
  policyHash,
} from "@maa-policy/core";
import { EVIDENCE_TYPES, appraiseEvidence, attestationToken, type AppraiseOptions, type DataType, type EvidenceType } from "@maa-policy/evidence";
import { analyze, type Analysis } from "../../lsp-server/src/analysis.js";
import { toDiagnostic } from "../../lsp-server/src/convert/to-lsp.js";
import { codeActions } from "../../lsp-server/src/features/code-actions.js";
import { completion } from "../../lsp-server/src/features/completion.js";
import { formatDocument } from "../../lsp-server/src/features/formatting.js";
import { hover } from "../../lsp-server/src/features/hover.js";
import { signatureHelp } from "../../lsp-server/src/features/signature-help.js";
import { DEFAULT_SETTINGS } from "../../lsp-server/src/settings-defaults.js";
import type { EvalInput, EvalOutcome, Requests, RequestMessage, ResponseMessage } from "./protocol.js";

export const DOCUMENT_URI = "inmemory://playground/policy.maa";

let current: Analysis = analyze(DOCUMENT_URI, 0, "", DEFAULT_SETTINGS);

function setDocument(text: string, version: number, attestationType: string | undefined): Analysis {
  const settings = attestationType ? { ...DEFAULT_SETTINGS, attestationType } : DEFAULT_SETTINGS;
  current = analyze(DOCUMENT_URI, version, text, settings);
  return current;
}

/** Integers beyond 2^53 become decimal strings, as in every JSON result. */
function plainJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x))) as T;
}

function refused(error: string): EvalOutcome {
  return { decision: "error", incoming: [], outgoing: [], properties: [], token: {}, trace: [], diagnostics: [], attestationToken: null, error };
}

function compileFor(text: string, type: string | undefined) {
  const compiled = compile(text, type !== undefined && isAttestationType(type) ? { attestationType: type } : {});
  if (compiled.policy) return { policy: compiled.policy };
  const first = compiled.diagnostics.find((d) => d.severity === "error");
  return { error: `the policy has errors and cannot be evaluated${first ? `: ${first.code} ${first.message}` : ""}` };
}

async function evaluateInput(input: EvalInput): Promise<EvalOutcome> {
  const text = current.text;
  if (input.kind === "claims") {
    const claims = parseClaimsInput(input.text, "claims");
    if (claims.errors.length > 0) return refused(`the claims cannot be read: ${claims.errors.slice(0, 5).join("; ")}`);
    const c = compileFor(text, claims.attestationType ?? current.attestationType);
    if (!c.policy) return refused(c.error);
    const r = evalResultToJson(evaluate(c.policy, claims.claims, { trace: "full" }), text);
    return plainJson({ ...r, trace: r.trace ?? [], attestationToken: null });
  }
  let now = new Date();
  if (input.at) {
    now = new Date(input.at);
    if (Number.isNaN(now.getTime())) return refused(`the verification time \`${input.at}\` is not an ISO 8601 time`);
  }
  if (input.type !== undefined && !(EVIDENCE_TYPES as readonly string[]).includes(input.type)) return refused(`\`${input.type}\` is not an evidence type`);
  const opts: AppraiseOptions = {
    now,
    ...(input.type !== undefined ? { type: input.type as EvidenceType } : {}),
    ...(input.runtimeData !== undefined ? { runtimeData: input.runtimeData } : {}),
    ...(input.runtimeDataType !== undefined ? { runtimeDataType: input.runtimeDataType as DataType } : {}),
    ...(input.collateral !== undefined ? { collateral: input.collateral } : {}),
  };
  const appraisal = await appraiseEvidence(input.evidence, opts);
  const evidence = {
    type: appraisal.type,
    verified: appraisal.verified,
    checks: appraisal.checks.map((c) => ({ id: c.id, title: c.title, status: c.status, detail: c.detail })),
    diagnostics: appraisal.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message })),
  };
  if (!appraisal.verified) return { ...refused("the evidence was refused"), evidence };
  const c = compileFor(text, appraisal.type);
  if (!c.policy) return { ...refused(c.error), evidence };
  const result = evaluate(c.policy, appraisal.claims, { trace: "full" });
  const token = result.decision === "permit" ? plainJson(await attestationToken(appraisal, result, { now, policyText: text })) : null;
  const r = evalResultToJson(result, text);
  return plainJson({ ...r, trace: r.trace ?? [], evidence, attestationToken: token as Record<string, unknown> | null });
}

type Handlers = { [M in keyof Requests]: (p: Requests[M]["params"]) => Requests[M]["result"] | Promise<Requests[M]["result"]> };

const handlers: Handlers = {
  init: () => ({
    keywords: [...KEYWORDS],
    sections: [...SECTION_NAMES],
    actions: [...ACTION_NAMES],
    properties: [...PROPERTY_NAMES],
    functions: [...FUNCTION_NAMES],
    operators: [...COMPARISON_OPERATORS],
  }),
  update: (p) => {
    const a = setDocument(p.text, p.version, p.attestationType);
    return a.diagnostics.map((d) => toDiagnostic(a.lineIndex, a.uri, d));
  },
  completion: (p) => completion({ text: current.text, offset: p.offset, positions: current.lineIndex, attestationType: current.attestationType, snippets: true }),
  hover: (p) => hover(current, p.offset),
  signatureHelp: (p) => signatureHelp(current.text, p.offset),
  codeActions: (p) => codeActions(current, { start: p.start, end: p.end }, undefined),
  format: (p) => formatDocument(current, { tabSize: p.tabSize, insertSpaces: true }),
  evaluate: (p) => evaluateInput(p.input),
  pack: async () => {
    try {
      return { token: (await packPolicy(current.text)).token, hash: policyHash(current.text) };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  },
};

self.onmessage = async (ev: MessageEvent<RequestMessage>) => {
  const { id, method, params } = ev.data;
  let reply: ResponseMessage;
  try {
    const fn = handlers[method] as (p: unknown) => unknown;
    if (typeof fn !== "function") throw new Error(`unknown request \`${String(method)}\``);
    reply = { id, result: await fn(params ?? {}) };
  } catch (e) {
    reply = { id, error: e instanceof Error ? e.message : String(e) };
  }
  (self as unknown as Worker).postMessage(reply);
};
