/**
 * `IsSubsetOf(a, b)`: true when every element of the set `a` is in the set `b` (values are equal
 * when they have the same type and value). The empty set is a subset of every set. The result is
 * never read-only.
 */
import type { Builtin } from "./builtin.js";
import type { ClaimValue } from "../value.js";

/** `IsSubsetOf(a, b)`. */
export const isSubsetOf: Builtin = {
  name: "IsSubsetOf",
  params: ["set", "set"],
  propagatesReadOnly: false,
  cost(args) {
    const a = args[0] as readonly ClaimValue[];
    const b = args[1] as readonly ClaimValue[];
    return Math.ceil((a.length * b.length) / 64);
  },
  call(args) {
    const a = args[0] as readonly ClaimValue[];
    const b = args[1] as readonly ClaimValue[];
    return a.every((x) => b.includes(x));
  },
};
