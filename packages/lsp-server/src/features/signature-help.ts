/**
 * Signature help for the six claim functions, worked out from the tokens before the cursor so
 * that it works while the call is still being typed.
 */
import { FUNCTION_SIGNATURES, type FunctionName } from "@maa-policy/core";
import * as lsp from "vscode-languageserver";
import { cursorContext } from "./cursor-context.js";

/** The signature of the function call around `offset`, or null. */
export function signatureHelp(text: string, offset: number): lsp.SignatureHelp | null {
  const call = cursorContext(text, offset).call;
  if (!call || !Object.prototype.hasOwnProperty.call(FUNCTION_SIGNATURES, call.name)) return null;
  const sig = FUNCTION_SIGNATURES[call.name as FunctionName];
  const label = `${sig.name}(${sig.params.map((p) => `${p.name}: ${p.type}`).join(", ")}): ${sig.returns}`;
  const parameters: lsp.ParameterInformation[] = [];
  let at = sig.name.length + 1;
  for (const p of sig.params) {
    const text = `${p.name}: ${p.type}`;
    parameters.push({ label: [at, at + text.length], documentation: { kind: lsp.MarkupKind.Markdown, value: p.description } });
    at += text.length + 2;
  }
  return {
    signatures: [{ label, documentation: { kind: lsp.MarkupKind.Markdown, value: sig.description }, parameters }],
    activeSignature: 0,
    activeParameter: Math.min(call.argIndex, Math.max(0, sig.params.length - 1)),
  };
}
