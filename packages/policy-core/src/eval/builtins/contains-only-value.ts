/**
 * `ContainsOnlyValue(set, v)`: true when the set is not empty and every element equals `v`
 * (same type and value); false for the empty set. When `v` is itself a set of several values,
 * each is tried and the results form a set. The result is never read-only.
 */
import type { Builtin } from "./builtin.js";
import type { ClaimValue } from "../value.js";

/** `ContainsOnlyValue(set, v)`. */
export const containsOnlyValue: Builtin = {
  name: "ContainsOnlyValue",
  params: ["set", "value"],
  propagatesReadOnly: false,
  cost(args) {
    return Math.ceil((args[0] as readonly ClaimValue[]).length / 64);
  },
  call(args) {
    const set = args[0] as readonly ClaimValue[];
    const v = args[1] as ClaimValue;
    return set.length > 0 && set.every((x) => x === v);
  },
};
