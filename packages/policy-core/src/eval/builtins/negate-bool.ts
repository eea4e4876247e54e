/**
 * `NegateBool(b)`: the negation of the Boolean `b`. Any other argument type is an error. The
 * result is read-only when the argument is.
 */
import { FunctionError } from "../errors.js";
import { describeType, type Builtin } from "./builtin.js";

/** `NegateBool(b)`. */
export const negateBool: Builtin = {
  name: "NegateBool",
  params: ["value"],
  propagatesReadOnly: true,
  call(args) {
    const b = args[0];
    if (typeof b !== "boolean") throw new FunctionError("P3003", `the argument must be a Boolean, not ${describeType(b!)}`);
    return !b;
  },
};
