declare module "virtual:monaco" {
  export * from "monaco-editor";
}
/** The bundled analysis worker's script (build.mjs). */
declare const __ANALYSIS_WORKER__: string;
/** The bundled Monaco editor worker's script (build.mjs). */
declare const __EDITOR_WORKER__: string;
/** The bundled examples: path under examples/ to text. */
declare const __EXAMPLES__: Record<string, string>;
