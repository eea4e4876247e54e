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
  /** Present when the file held attestation evidence: how it was appraised. */
  readonly evidence?: ResultEvidence;
  /** With evidence: the claims of the attestation token the service would issue (null unless permitted). */
  readonly attestationToken?: Readonly<Record<string, unknown>> | null;
}

/** The appraisal of an evidence file, as the server returns it. */
export interface ResultEvidence {
  readonly path: string;
  readonly type: string;
  readonly verified: boolean;
  readonly checks: readonly { readonly id: string; readonly title: string; readonly status: string; readonly detail: string; readonly code?: string }[];
  readonly diagnostics: readonly { readonly code: string; readonly severity: string; readonly message: string; readonly range: { readonly start: number; readonly end: number } }[];
}

/** What the commands need from the language client. */
export interface RequestSender {
  sendRequest<R>(method: string, params: unknown): Promise<R>;
}
