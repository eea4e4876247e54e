/**
 * Test helpers, exported as `@maa-policy/core/testing`: AST dumps and range-free equality.
 */
export { dumpTree, dumpDiagnostics } from "./dump.js";
export { stripRanges, astEquals } from "./strip-ranges.js";
