import { readFileSync } from "node:fs";
import { appraiseEvidence } from "@maa-policy/evidence";
const inp = JSON.parse(readFileSync("/work/shared/service/10-cpp-test-inputs.derived.json", "utf8"));
const q = Buffer.from(inp.sgxQuote_base64url, "base64url");
const rd = Buffer.from(inp.runtimeData_base64url, "base64url");
for (const [type, ev] of [["SgxEnclave", q], ["OpenEnclave", Buffer.from(inp.openEnclaveReport_base64url, "base64url")]]) {
  const t0 = Date.now();
  const a = await appraiseEvidence(new Uint8Array(ev), { type, runtimeData: new Uint8Array(rd), runtimeDataType: "JSON", now: new Date("2022-05-31T22:50:28Z") });
  console.log(type, Date.now() - t0, "ms verified", a.verified);
  for (const c of a.checks) console.log("  ", JSON.stringify(c).slice(0, 200));
  for (const d of a.diagnostics) console.log("  D", d.code, d.message);
  console.log(a.claims.map((c) => c.type + "=" + String(c.value).slice(0, 40)).join("\n"));
}
