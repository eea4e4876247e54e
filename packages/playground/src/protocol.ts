/** The messages between the page and the analysis worker (plain JSON; LSP shapes for features). */
import type { EvalResultJson } from "@maa-policy/core";
import type * as lsp from "vscode-languageserver-types";

/** The keyword lists of policy-core's grammar (`syntax/tokens.ts`), for the highlighter. */
export interface SyntaxLists {
  readonly keywords: readonly string[];
  readonly sections: readonly string[];
  readonly actions: readonly string[];
  readonly properties: readonly string[];
  readonly functions: readonly string[];
  readonly operators: readonly string[];
}

/** The input of an evaluation: a claims file's text, or evidence bytes with their options. */
export type EvalInput =
  | { readonly kind: "claims"; readonly text: string }
  | {
      readonly kind: "evidence";
      /** The evidence: raw bytes (a dropped file) or text (pasted hex, base64 or a request body). */
      readonly evidence: Uint8Array | string;
      readonly type: string | undefined;
      readonly runtimeData: Uint8Array | undefined;
      readonly runtimeDataType: string | undefined;
      readonly collateral: string | undefined;
      /** The verification time, ISO 8601; default now. */
      readonly at: string | undefined;
    };

export interface EvidenceSummary {
  readonly type: string;
  readonly verified: boolean;
  readonly checks: readonly { id: string; title: string; status: string; detail: string }[];
  readonly diagnostics: readonly { code: string; severity: string; message: string }[];
}

/** policy-core's JSON of an evaluation (always traced here), with the appraisal and token of evidence. */
export interface EvalOutcome extends Omit<EvalResultJson, "trace"> {
  readonly trace: readonly Record<string, unknown>[];
  readonly evidence?: EvidenceSummary;
  /** The claims of the token MAA would issue (evidence and permit), else null. */
  readonly attestationToken: Record<string, unknown> | null;
  /** Why the evaluation could not run (policy errors, bad claims), or undefined. */
  readonly error?: string;
}

export interface Requests {
  init: { params: Record<string, never>; result: SyntaxLists };
  update: { params: { text: string; version: number; attestationType: string | undefined }; result: lsp.Diagnostic[] };
  completion: { params: { offset: number }; result: lsp.CompletionList };
  hover: { params: { offset: number }; result: lsp.Hover | null };
  signatureHelp: { params: { offset: number }; result: lsp.SignatureHelp | null };
  codeActions: { params: { start: number; end: number }; result: lsp.CodeAction[] };
  format: { params: { tabSize: number }; result: lsp.TextEdit[] };
  evaluate: { params: { input: EvalInput }; result: EvalOutcome };
  pack: { params: Record<string, never>; result: { token: string; hash: string } | { error: string } };
}

export type Method = keyof Requests;
export interface RequestMessage { readonly id: number; readonly method: Method; readonly params: unknown }
export type ResponseMessage = { readonly id: number; readonly result: unknown } | { readonly id: number; readonly error: string };
