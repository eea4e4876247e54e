/**
 * The table of claim functions by name (the language's six functions).
 */
import type { FunctionName } from "../../syntax/tokens.js";
import { appendString } from "./append-string.js";
import type { Builtin } from "./builtin.js";
import { containsOnlyValue } from "./contains-only-value.js";
import { isSubsetOf } from "./is-subset-of.js";
import { jmesPath } from "./jmes-path.js";
import { jsonToClaimValue } from "./json-to-claim-value.js";
import { negateBool } from "./negate-bool.js";

/** Every claim function, by its name. */
export const BUILTINS: Readonly<Record<FunctionName, Builtin>> = {
  JmesPath: jmesPath,
  JsonToClaimValue: jsonToClaimValue,
  IsSubsetOf: isSubsetOf,
  AppendString: appendString,
  NegateBool: negateBool,
  ContainsOnlyValue: containsOnlyValue,
};
