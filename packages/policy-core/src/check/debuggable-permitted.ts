/**
 * P2032 debuggable-permitted: an authorization rule permits when the evidence says the enclave
 * or VM is debuggable (`[type=="x-ms-sgx-is-debuggable", value==true] => permit();`). A
 * debuggable TEE exposes its memory to the host, so its attestation proves nothing; this is a
 * security warning. Test for `value==false` instead. No automatic fix.
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import { actionOf, conditionType, testsOf } from "./facts.js";
import type { Check } from "./context.js";

const DEBUG_CLAIMS = new Set(["x-ms-sgx-is-debuggable", "$is-debuggable", "x-ms-sevsnpvm-is-debuggable", "tdx_td_attributes_debug"]);

/** Check P2032 `debuggable-permitted` (see the file comment). */
export const debuggablePermitted: Check = {
  code: "P2032",
  scope: "rule",
  run(ctx) {
    for (const { rule, sectionName } of ctx.rules) {
      if (sectionName !== "authorizationrules" || actionOf(rule)?.verb !== "permit") continue;
      for (const c of rule.conditions) {
        if (c.negated) continue;
        const type = conditionType(c);
        if (type === undefined || !DEBUG_CLAIMS.has(type)) continue;
        for (const t of testsOf(c)) {
          if (t.property !== "value" || t.operand.kind !== "BooleanLiteral") continue;
          const permitsDebug = (t.operator === "==" && t.operand.value) || (t.operator === "!=" && !t.operand.value);
          if (!permitsDebug) continue;
          ctx.report(
            diagnostic("P2032", t.range, `this rule permits a debuggable TEE (\`${type}\` is true): its memory is open to the host, so the attestation proves nothing`),
          );
        }
      }
    }
  },
};
