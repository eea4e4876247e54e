/**
 * `AppendString(a, b)`: the String `a` followed by the String `b` (empty strings are allowed).
 * Any other argument type is an error. The result is read-only when either argument is.
 */
import { FunctionError } from "../errors.js";
import { describeType, type Builtin } from "./builtin.js";

/** `AppendString(a, b)`. */
export const appendString: Builtin = {
  name: "AppendString",
  params: ["value", "value"],
  propagatesReadOnly: true,
  call(args) {
    const [a, b] = args;
    if (typeof a !== "string") throw new FunctionError("P3003", `the first argument must be a String, not ${describeType(a!)}`);
    if (typeof b !== "string") throw new FunctionError("P3003", `the second argument must be a String, not ${describeType(b!)}`);
    return a + b;
  },
};
