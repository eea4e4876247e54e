/**
 * The language server's custom requests, as the extension sends them. The shapes mirror
 * `packages/lsp-server/src/features/custom-requests.ts`; only the fields the extension reads are
 * typed here (the extension does not import the server or the core library).
 */

/** `maa-policy/evaluate`: evaluates a policy against a claims file. */
export const EVALUATE_REQUEST = "maa-policy/evaluate";
/** `maa-policy/pack`: packs a policy as a JWS, unsigned or signed. */
export const PACK_REQUEST = "maa-policy/pack";
/** `maa-policy/hash`: the `x-ms-policy-hash` of a policy. */
export const HASH_REQUEST = "maa-policy/hash";
/** `maa-policy/diff`: what changes from one policy (`against`) to another (`uri`). */
export const DIFF_REQUEST = "maa-policy/diff";

/** Parameters of `maa-policy/diff`. */
export interface DiffParams {
  readonly uri: string;
  readonly against: string;
  readonly claimsPaths?: readonly string[];
}

/** Result of `maa-policy/diff`: the report (as `maa-policy diff --format json`; only the status is read here) and its Markdown. */
export interface DiffResult {
  readonly report: { readonly status: string };
  readonly markdown: string;
}

/** Parameters of `maa-policy/evaluate`. */
export interface EvaluateParams {
  readonly uri: string;
  readonly claimsPath?: string;
}

/** Parameters of `maa-policy/pack`. */
export interface PackParams {
  readonly uri: string;
  readonly keyPath?: string;
  readonly certPaths?: readonly string[];
  readonly alg?: string;
}

/** Result of `maa-policy/pack`. */
export interface PackResult {
  readonly token: string;
  readonly warnings: readonly string[];
}

/** Result of `maa-policy/hash`. */
export interface HashResult {
  readonly policyHash: string;
}

/** A zero-based position. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

/** A claim in the evaluation result. */
export interface ResultClaim {
  readonly type: string;
  readonly value: boolean | number | string;
  readonly valueType: string;
  readonly issuer: string;
}

/** A diagnostic in the evaluation result. */
export interface ResultDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly range: { readonly start: Position; readonly end: Position };
}

/** A trace entry in the evaluation result (one per rule). */
export interface ResultTraceEntry {
  readonly section?: string;
  readonly rule?: number;
  readonly range?: { readonly start: Position };
  readonly fired?: boolean;
  readonly verb?: string;
  readonly effect?: string;
  readonly note?: string;
  readonly error?: string;
  readonly produced?: readonly ResultClaim[];
  readonly conditions?: readonly {
    readonly index: number;
    readonly negated: boolean;
    readonly binding: string | null;
    readonly holds: boolean;
    readonly matchedCount: number;
  }[];
}

/** Result of `maa-policy/evaluate` (the JSON of `maa-policy eval --format json`). */
export interface EvaluateResult {
  readonly decision: "permit" | "deny" | "error";
  readonly incoming: readonly ResultClaim[];
  readonly outgoing: readonly ResultClaim[];
  readonly properties: readonly ResultClaim[];
  readonly token: Readonly<Record<string, unknown>>;
  readonly diagnostics: readonly ResultDiagnostic[];
  readonly trace: readonly ResultTraceEntry[] | null;
}

/** What the commands need from the language client. */
export interface RequestSender {
  sendRequest<R>(method: string, params: unknown): Promise<R>;
}
