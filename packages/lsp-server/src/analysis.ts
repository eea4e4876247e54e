/**
 * The analysis of one document at one version: syntax tree, diagnostics (syntax and checks,
 * configured by the settings), the attestation type in use, and lazily built indexes.
 *
 * An analysis is an immutable value; features are plain functions of it.
 */
import {
  LineIndex,
  checkIncrementally,
  isAttestationType,
  reparse,
  type IncrementalCheck,
  type AttestationType,
  type Diagnostic,
  type PolicyFile,
} from "@maa-policy/core";
import type { ServerSettings } from "./settings.js";
import { buildSymbolIndex, type SymbolIndex } from "./symbols.js";

/** Everything features need to know about a document at one version. */
export interface Analysis {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  readonly lineIndex: LineIndex;
  readonly file: PolicyFile;
  /** Syntax and check diagnostics, configured, suppressions applied, sorted. */
  readonly diagnostics: readonly Diagnostic[];
  /** The attestation type from the settings, or inferred from the claims the policy uses. */
  readonly attestationType: AttestationType | undefined;
  /** The policy version as `major.minor`, or undefined when missing or malformed. */
  readonly policyVersion: string | undefined;
  readonly settings: ServerSettings;
  /** Bindings and uses of identifiers, and claim type mentions (built on first use). */
  readonly symbols: () => SymbolIndex;
  /** The parse and check, kept so that the next version re-analyses only the rules an edit touches. */
  readonly incremental: IncrementalCheck;
}

/**
 * Analyses `text` with `settings`. Never throws on user input. With `previous` (the analysis of
 * an earlier version of the same document), only the rules that changed are re-parsed and
 * re-checked by the rule-scoped checks; the result is the same as without it.
 */
export function analyze(uri: string, version: number, text: string, settings: ServerSettings, previous?: IncrementalCheck): Analysis {
  const configured = settings.attestationType !== undefined && isAttestationType(settings.attestationType) ? settings.attestationType : undefined;
  const incremental = checkIncrementally(reparse(previous?.parse, text), previous, { rules: settings.rules, attestationType: configured });
  const checked = incremental.result;
  const diagnostics = checked.diagnostics;
  const attestationType = checked.attestationType;
  // The version declaration is where it is in the pending tree too; the whole tree (every rule
  // moved after an incremental re-parse) and the line index are made when a feature first needs
  // them, not on every keystroke.
  const v = incremental.parse.pending.file.version;
  const policyVersion = v && v.major !== undefined && v.minor !== undefined ? `${v.major}.${v.minor}` : undefined;
  let symbols: SymbolIndex | undefined;
  let lineIndex: LineIndex | undefined;
  return {
    uri,
    version,
    text,
    get lineIndex() {
      return (lineIndex ??= new LineIndex(text));
    },
    get file() {
      return checked.file;
    },
    diagnostics,
    attestationType,
    policyVersion,
    settings,
    symbols: () => (symbols ??= buildSymbolIndex(checked.file)),
    incremental,
  };
}

/** Whether claim functions are available in a policy of this version (1.2 and later; unknown counts as 1.2). */
export function functionsAllowed(policyVersion: string | undefined): boolean {
  if (policyVersion === undefined) return true;
  const [major, minor] = policyVersion.split(".").map(Number);
  if (major === undefined || minor === undefined) return true;
  return major > 1 || (major === 1 && minor >= 2);
}
