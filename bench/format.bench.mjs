// Formatting a generated 1 MB policy (messy layout: compact rules, comments, long rules that must
// break, nested calls) next to parsing the same text, measured in the same run (this machine is
// shared and noisy: compare the ratio). Target: format < 4x parse. Formatting includes its own
// parse, the layout, and the safety re-parse of the output.
import { format, parse } from "../packages/policy-core/dist/index.js";
import { median, time } from "./support.mjs";

const RULES = [
  'c:[type=="x-ms-sgx-svn",value>=2,issuer=="AttestationService"]=>issue(type="svn",value=c.value);',
  '// the EFI configuration variables\n  c:[type=="events", issuer=="AttestationService"] => add(type="efi", value=JmesPath(c.value, "Events[?EventTypeString == \'EV_EFI_VARIABLE_DRIVER_CONFIG\']"));',
  '![type=="secureBootEnabled",issuer=="AttestationPolicy"]=>issue(type="secureBootEnabled",value=false); // default',
  'c1:[type=="a"] && c2:[type=="b", value!="x"]\n\t&& [type=="c"] => issue(type="c", value=AppendString(c1.value, AppendString(c2.value, "-suffix")));',
  '\n\n[type=="x-ms-sgx-is-debuggable", value==true] =>\n deny();',
];

function generatePolicy(bytes) {
  const head = "version=1.2;\nauthorizationrules\n{\n    => permit();\n};\nissuancerules\n{\n";
  const parts = [head];
  let size = head.length;
  for (let i = 0; size < bytes; i++) {
    const r = "  " + RULES[i % RULES.length] + "\n";
    parts.push(r);
    size += r.length;
  }
  parts.push("};\n");
  return parts.join("");
}

const MB = 1_000_000;
const policy = generatePolicy(MB);
const first = format(policy);
if (first.diagnostics.length > 0 || !first.changed) {
  console.error("the generated policy did not format:", first.diagnostics.map((d) => `${d.code} ${d.message}`).join("; "));
  process.exit(1);
}
const formatted = first.text;
for (let i = 0; i < 2; i++) {
  parse(policy);
  format(policy);
}
const runs = 7;
// Interleave the two measurements so that machine noise hits both alike.
const tParse = [];
const tFormat = [];
const tFormatTidy = [];
for (let i = 0; i < runs; i++) {
  tParse.push(time(() => parse(policy), 1));
  tFormat.push(time(() => format(policy), 1));
  tFormatTidy.push(time(() => format(formatted), 1));
}
const p = median(tParse);
const f = median(tFormat);
const ft = median(tFormatTidy);
const ratio = f / p;
console.log(`parse ${(policy.length / MB).toFixed(2)} MB policy: ${p.toFixed(1)} ms (median of ${runs})`);
console.log(`format the same text: ${f.toFixed(1)} ms (output ${(formatted.length / MB).toFixed(2)} MB)`);
console.log(`format already formatted text: ${ft.toFixed(1)} ms`);
console.log(`ratio: format is ${ratio.toFixed(2)}x parse (target: under 4x)`);
if (ratio >= 4) process.exitCode = 1;
