/**
 * Metadata of the claim functions (LANGUAGE.md section 8): parameters, result and a description.
 * Read by the linter (arity, argument types), the evaluator and the language server (signature
 * help, hover). The behaviour itself lives in the evaluator's builtins.
 */
import type { FunctionName } from "../syntax/tokens.js";

// CAUTION: public API
/** The type of a function parameter or result. */
export type FunctionValueType = "String" | "Boolean" | "Integer" | "Json" | "Set" | "Any";

// CAUTION: public API
/** One parameter of a claim function. */
export interface FunctionParam {
  readonly name: string;
  readonly type: FunctionValueType;
  readonly description: string;
}

// CAUTION: public API
/** The signature and documentation of a claim function. */
export interface FunctionSignature {
  readonly name: FunctionName;
  readonly params: readonly FunctionParam[];
  readonly returns: FunctionValueType;
  readonly description: string;
  /** The first policy version that has the function. */
  readonly minVersion: "1.2";
}

// CAUTION: public API
/** The signature of every claim function. */
export const FUNCTION_SIGNATURES: Readonly<Record<FunctionName, FunctionSignature>> = {
  JmesPath: {
    name: "JmesPath",
    params: [
      { name: "json", type: "Json", description: "JSON text to query" },
      { name: "query", type: "String", description: "a JMESPath query (standard JMESPath plus `equals_ignore_case`)" },
    ],
    returns: "Json",
    description: "runs a JMESPath query over JSON text and returns the result serialized as JSON text (a null result is the string `null`)",
    minVersion: "1.2",
  },
  JsonToClaimValue: {
    name: "JsonToClaimValue",
    params: [{ name: "json", type: "Json", description: "JSON text holding a number, a boolean, a string, null or an array of those" }],
    returns: "Any",
    description: "converts JSON text to a claim value: number → Integer, bool → Boolean, string → String, array → a set, null → nothing",
    minVersion: "1.2",
  },
  IsSubsetOf: {
    name: "IsSubsetOf",
    params: [
      { name: "subset", type: "Set", description: "the values that must all be present" },
      { name: "superset", type: "Set", description: "the values to look them up in" },
    ],
    returns: "Boolean",
    description: "true when every element of the first set is in the second",
    minVersion: "1.2",
  },
  AppendString: {
    name: "AppendString",
    params: [
      { name: "left", type: "String", description: "the first string" },
      { name: "right", type: "String", description: "the string appended to it" },
    ],
    returns: "String",
    description: "concatenates two strings",
    minVersion: "1.2",
  },
  NegateBool: {
    name: "NegateBool",
    params: [{ name: "value", type: "Boolean", description: "the Boolean to negate" }],
    returns: "Boolean",
    description: "the logical negation of a Boolean",
    minVersion: "1.2",
  },
  ContainsOnlyValue: {
    name: "ContainsOnlyValue",
    params: [
      { name: "set", type: "Set", description: "the values to examine" },
      { name: "value", type: "Any", description: "the single value every element must equal" },
    ],
    returns: "Boolean",
    description: "true when the set is non-empty and every element equals the value",
    minVersion: "1.2",
  },
};
