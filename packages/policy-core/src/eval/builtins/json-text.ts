/**
 * JSON text handling shared by `JmesPath` and `JsonToClaimValue`: strict parsing with a message
 * fit for users, refusing JSON nested beyond the depth budget.
 */
import { jsonTooDeepAt, jsonTooDeepMessage } from "../../util/json-depth.js";
import { FunctionError } from "../errors.js";

/** Parses JSON text; throws a P3001 `FunctionError` naming the problem. */
export function parseJsonText(text: string, what: string): unknown {
  if (text.trim() === "") throw new FunctionError("P3001", `${what} is empty, not JSON`);
  if (jsonTooDeepAt(text) >= 0) throw new FunctionError("P3001", `${what} is JSON ${jsonTooDeepMessage()}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const reason = e instanceof Error ? e.message.split("\n")[0] ?? "" : String(e);
    throw new FunctionError("P3001", `${what} is not JSON: ${lowerFirst(reason)}`);
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1).replace(/\.$/, "");
}
