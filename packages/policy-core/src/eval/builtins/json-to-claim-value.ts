/**
 * `JsonToClaimValue(json)`: converts JSON text to claim values. A number becomes an Integer (a
 * fraction is an error), a Boolean a Boolean, a string a String; an array of primitives becomes
 * a set (its `null` elements add nothing); `null` becomes the empty set (an action given it does
 * nothing); an object or an array holding an object or an array is an error. A bare integer is
 * read exactly up to the signed 64-bit range; inside an array, integers beyond 2^53 − 1 are an
 * error (JSON parsing would round them). The result is read-only when the argument is.
 */
import { FunctionError } from "../errors.js";
import { canonicalInteger, parseIntegerText, type ClaimValue } from "../value.js";
import { describeType, type Builtin } from "./builtin.js";
import { parseJsonText } from "./json-text.js";

function primitive(v: unknown, where: string): ClaimValue | undefined {
  switch (typeof v) {
    case "boolean":
    case "string":
      return v;
    case "number": {
      if (!Number.isInteger(v)) throw new FunctionError("P3004", `${where} is the fraction \`${String(v)}\`: only integers are claim values`);
      const i = canonicalInteger(v);
      if (i === undefined) throw new FunctionError("P3004", `${where} is the integer \`${String(v)}\`, beyond 2^53 − 1 inside JSON: it cannot be read exactly`);
      return i;
    }
    default:
      if (v === null) return undefined;
      throw new FunctionError("P3004", `${where} is ${Array.isArray(v) ? "an array" : "an object"}: only primitives and arrays of primitives convert to claim values`);
  }
}

/** `JsonToClaimValue(json)`. */
export const jsonToClaimValue: Builtin = {
  name: "JsonToClaimValue",
  params: ["value"],
  propagatesReadOnly: true,
  cost(args) {
    const json = args[0];
    return typeof json === "string" ? Math.ceil(json.length / 256) : 0;
  },
  call(args) {
    const json = args[0];
    if (typeof json !== "string") throw new FunctionError("P3003", `the argument must be JSON text (a String), not ${describeType(json as ClaimValue)}`);
    const trimmed = json.trim();
    if (/^-?(?:0|[1-9]\d*)$/.test(trimmed)) {
      const i = parseIntegerText(trimmed);
      if (i === undefined) throw new FunctionError("P3004", `the integer \`${trimmed}\` is outside the signed 64-bit range`);
      return [i];
    }
    const data = parseJsonText(json, "the argument");
    if (Array.isArray(data)) {
      const out: ClaimValue[] = [];
      data.forEach((el: unknown, i) => {
        const v = primitive(el, `element ${i} of the array`);
        if (v !== undefined) out.push(v);
      });
      return out;
    }
    const v = primitive(data, "the JSON value");
    return v === undefined ? [] : [v];
  },
};
