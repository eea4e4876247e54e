/**
 * The server's settings as values: their types and the defaults, with no I/O, so that a browser
 * bundle (packages/playground) can analyse with them. Reading them from the client and from
 * `maa-policy.config.json` is `settings.ts`.
 */

/** The level a rule can be configured to. */
export type RuleLevel = "error" | "warning" | "info" | "off";

/** Protocol trace level. */
export type TraceLevel = "off" | "messages" | "verbose";

/** The effective settings for one document. */
export interface ServerSettings {
  /** Diagnostic code to level. */
  readonly rules: Readonly<Record<string, RuleLevel>>;
  /** The attestation type the policy is written for; undefined means inferred from the claims used. */
  readonly attestationType: string | undefined;
  readonly format: {
    /** Line width for the formatter. */
    readonly width: number;
    /** Indentation; undefined means "take the editor's formatting options". */
    readonly indent: number | "tab" | undefined;
  };
  readonly evaluate: {
    /** Claims file for "Evaluate with…", absolute or relative to the policy's directory. */
    readonly claimsFile: string | undefined;
  };
  readonly trace: { readonly server: TraceLevel };
  /** The configuration file that contributed to these settings, if any. */
  readonly configFile: string | undefined;
}

/** Settings used when the client sends none. */
export const DEFAULT_SETTINGS: ServerSettings = {
  rules: {},
  attestationType: undefined,
  format: { width: 100, indent: undefined },
  evaluate: { claimsFile: undefined },
  trace: { server: "off" },
  configFile: undefined,
};
