/**
 * The service console (served by `maa-policy serve` at `/`): the providers, each provider's policy
 * per attestation type (decoded, hash, signed or not, "open in playground"), the signers, the last
 * attestations with the trace of why (polled live), and the write actions: set a policy, reset it,
 * add or remove a policy signer. Everything goes through the service's REST API, the routes the
 * SDKs call, with the bearer token the user pastes (`maa-policy serve token`), kept in this tab's
 * session storage and sent to this origin only; the API decides every write and its refusal
 * (401, 403, or its rules, such as signed policies only on an isolated provider) is shown as the
 * service wrote it.
 */
import "reflect-metadata";
import { classifyPolicyInput, packPolicy, policyHash, unpackPolicy } from "@maa-policy/core";
import { X509Certificate } from "@peculiar/x509";
import "./style.css";
import { esc } from "./html.js";
import { fromBase64Url, toBase64Url } from "./share.js";
import { renderTrace, type TraceJson } from "./trace-view.js";

const API = "2025-06-01";
const TYPES = ["SgxEnclave", "OpenEnclave", "SevSnpVm", "TdxVm", "Tpm"] as const;
/** The unsigned reset token of the REST API: `{"alg":"none"}` and an empty payload. */
const UNSIGNED_RESET = "eyJhbGciOiJub25lIn0..";
const TOKEN_KEY = "maa-policy-token";
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** A compact JWT's payload (JSON), without verifying: the service signed it, or it is the user's own token. */
function jwtClaims(token: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(fromBase64Url(token.split(".")[1] ?? "")));
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const token = () => $<HTMLInputElement>("token").value.trim();

/** A refusal of the service: the status and its `{"error":{"code","message"}}` body. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly serviceMessage: string,
  ) {
    super(`${status} ${code}: ${serviceMessage}`);
  }
}

async function api(path: string, init: RequestInit = {}): Promise<unknown> {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
  if (token()) headers["authorization"] = `Bearer ${token()}`;
  const r = await fetch(path, { ...init, headers });
  const text = await r.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  if (!r.ok) {
    const e = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(r.status, e?.code ?? r.statusText, e?.message ?? text);
  }
  return body;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * What the pasted token lets the console do, from its role claims (display only: the service
 * decides, and judges expiry by its own clock, which may be frozen).
 */
function tokenNote(): { canWrite: boolean; text: string } {
  const t = token();
  const mint = "mint one with `maa-policy serve token --role contributor`";
  if (t === "") return { canWrite: false, text: `No token: the service refuses reads and writes (401). To write, ${mint}.` };
  const claims = jwtClaims(t);
  const roles = Array.isArray(claims?.["roles"]) ? (claims["roles"] as unknown[]).map(String) : [];
  if (!claims || roles.length === 0) return { canWrite: false, text: `This is not a token of this service: it will be refused (401). To write, ${mint}.` };
  const scope = typeof claims["provider"] === "string" ? ` for provider \`${claims["provider"]}\` only` : "";
  const writer = roles.includes("Contributor") || roles.includes("Owner");
  if (!writer) return { canWrite: false, text: `This token grants ${roles.join(", ")}${scope}: writes need the Contributor role and the service refuses them (403). To write, ${mint}.` };
  return { canWrite: true, text: `This token grants ${roles.join(", ")}${scope}: writes are allowed.` };
}

function showTokenNote(): void {
  const note = tokenNote();
  $("token-note").textContent = note.text;
  for (const why of document.querySelectorAll<HTMLElement>(".manage .why")) {
    why.textContent = note.canWrite ? "" : note.text;
    why.hidden = note.canWrite;
  }
}

interface ProviderStatus { name: string; trustModel: string; attestUri: string; attestRequiresAuth: boolean; signers: number }

async function signersOf(name: string): Promise<string> {
  const r = (await api(`/${name}/certificates?api-version=${API}`)) as { token: string };
  const keys = ((jwtClaims(r.token)?.["x-ms-policy-certificates"] as { keys?: { x5c?: string[] }[] } | undefined)?.keys ?? []).flatMap((k) => k.x5c?.slice(0, 1) ?? []);
  if (keys.length === 0) return "<p class=none>no policy signers</p>";
  const rows = await Promise.all(
    keys.map(async (der) => {
      const cert = new X509Certificate(der);
      const thumb = [...new Uint8Array(await cert.getThumbprint("SHA-1"))].map((x) => x.toString(16).padStart(2, "0")).join("").toUpperCase();
      return `<tr><td>${esc(cert.subject)}</td><td><code>${thumb}</code></td></tr>`;
    }),
  );
  return `<table class=signers><thead><tr><th>signer subject</th><th>SHA-1 thumbprint</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

async function policyOf(name: string, type: string): Promise<string> {
  try {
    const r = (await api(`/${name}/policies/${type}?api-version=${API}`)) as { token: string };
    const jws = jwtClaims(r.token)?.["x-ms-policy"];
    const read = typeof jws === "string" ? unpackPolicy(jws) : undefined;
    if (read?.kind !== "policy") return `<p class=policy data-type="${esc(type)}">${esc(type)}: no policy set</p>`;
    const link = `/playground/#policy=${toBase64Url(new TextEncoder().encode(read.text))}`;
    return `<details class=policy data-type="${esc(type)}"><summary>${esc(type)}: ${read.signed ? "signed" : "unsigned"}, hash <code>${esc(policyHash(read.text))}</code> <a href="${esc(link)}">open in playground</a></summary><pre>${esc(read.text)}</pre></details>`;
  } catch (e) {
    return `<p class=failed>${esc(type)}: ${esc(messageOf(e))}</p>`;
  }
}

/** The provider sections by name: the info is re-read on refresh, the write form stays (with what was typed). */
const sections = new Map<string, { section: HTMLElement; info: HTMLElement }>();
let formCount = 0;

async function refreshInfo(p: ProviderStatus, info: HTMLElement): Promise<void> {
  const policies = (await Promise.all(TYPES.map((t) => policyOf(p.name, t)))).join("");
  const signers = await signersOf(p.name).catch((e: unknown) => `<p class=failed>${esc(messageOf(e))}</p>`);
  info.innerHTML = `<p>trust model <strong>${esc(p.trustModel)}</strong>; attest URI <code>${esc(p.attestUri)}</code>${p.attestRequiresAuth ? "; attestation needs a token" : ""}</p>${signers}${policies}`;
}

/**
 * Whether the box holds a token (sent as it is) rather than a policy text (packed unsigned): what
 * policy-core reads as a token, or a damaged one (dots, no spaces), which the service then refuses.
 */
function isToken(input: string): boolean {
  const kind = classifyPolicyInput(input);
  return kind === "malformed" ? /^\S*\.\S*$/.test(input) : kind !== "text";
}

/** Shows the outcome of a write: what the service answered, or its refusal as it wrote it. */
function showResult(out: HTMLElement, ok: boolean, text: string): void {
  out.className = ok ? "result done" : "result failed";
  out.textContent = text;
}

function refusal(e: unknown): string {
  if (!(e instanceof ApiError)) return `not sent: ${messageOf(e)}`;
  const hint =
    e.status === 401 ? " (paste a token of this service: `maa-policy serve token --role contributor`)" : e.status === 403 ? " (writes need a Contributor token: `maa-policy serve token --role contributor`)" : "";
  return `refused by the service: ${e.status} ${e.code}: ${e.serviceMessage}${hint}`;
}

function manageForm(p: ProviderStatus): HTMLFormElement {
  const n = ++formCount;
  const isolated = p.trustModel.toLowerCase() === "isolated";
  const form = document.createElement("form");
  form.className = "manage";
  form.dataset["provider"] = p.name;
  form.noValidate = true;
  form.innerHTML = `<fieldset><legend>Change ${esc(p.name)} (needs a Contributor token)</legend>
<p class=why></p>
<label for="m${n}-type">Attestation type</label>
<select id="m${n}-type" class=type>${TYPES.map((t) => `<option>${t}</option>`).join("")}</select>
<label for="m${n}-policy">Policy text, or a policy token (JWS)${isolated ? "; this provider is isolated: only a policy signed by one of its signers is accepted (<code>maa-policy pack --key K --cert C policy.txt</code>)" : ""}. Text is sent as an unsigned token.</label>
<textarea id="m${n}-policy" class=policy-input rows="6" spellcheck="false"></textarea>
<div class=buttons><button type="button" class=set>Set policy</button> <button type="button" class=reset>Reset to default</button></div>
<p class=hint>Reset sends the unsigned reset token, or the reset token in the box${isolated ? " (an isolated provider takes only one signed by its signer)" : ""}.</p>
${
  isolated
    ? `<label for="m${n}-signer">Policy signer token (JWS) that adds or removes a signer certificate, signed by a current signer: <code>maa-policy signer-token --add new-cert.pem --key signer-key.pem --cert signer-cert.pem</code></label>
<textarea id="m${n}-signer" class=signer-input rows="4" spellcheck="false"></textarea>
<div class=buttons><button type="button" class=add-signer>Add signer</button> <button type="button" class=remove-signer>Remove signer</button></div>`
    : `<p class=hint>Policy signers: only isolated providers have them.</p>`
}
<p class="result" role="status" aria-live="polite"></p></fieldset>`;
  const out = form.querySelector<HTMLElement>(".result")!;
  const type = () => form.querySelector<HTMLSelectElement>(".type")!.value;
  const policyBox = form.querySelector<HTMLTextAreaElement>(".policy-input")!;
  const run = async (what: () => Promise<string>) => {
    showResult(out, true, "sending…");
    try {
      showResult(out, true, await what());
    } catch (e) {
      showResult(out, false, refusal(e));
    }
    await refreshProviders();
  };
  form.onsubmit = (e) => e.preventDefault();
  form.querySelector<HTMLButtonElement>(".set")!.onclick = () =>
    void run(async () => {
      // The text is sent as typed (no trimming: it is the user's policy); a token is sent trimmed.
      const typed = policyBox.value;
      const input = typed.trim();
      if (input === "") throw new Error("write a policy, or paste a policy token, in the box first");
      const t = type();
      const body = isToken(input) ? input : (await packPolicy(typed)).token;
      const r = (await api(`/${p.name}/policies/${t}?api-version=${API}`, { method: "PUT", headers: { "content-type": "text/plain" }, body })) as { token: string };
      const c = jwtClaims(r.token) ?? {};
      const signer = c["x-ms-policy-signer"] as { x5c?: string[] } | undefined;
      const by = signer?.x5c?.[0] ? `, signed by ${new X509Certificate(signer.x5c[0]).subject}` : "";
      return `${t} policy of ${p.name}: ${String(c["x-ms-policy-result"] ?? "done")}${by} (policy token hash ${String(c["x-ms-policy-token-hash"] ?? "")})`;
    });
  form.querySelector<HTMLButtonElement>(".reset")!.onclick = () =>
    void run(async () => {
      const input = policyBox.value.trim();
      const t = type();
      const body = input !== "" && classifyPolicyInput(input) === "reset" ? input : UNSIGNED_RESET;
      const r = (await api(`/${p.name}/policies/${t}:reset?api-version=${API}`, { method: "POST", headers: { "content-type": "text/plain" }, body })) as { token: string };
      return `${t} policy of ${p.name}: ${String(jwtClaims(r.token)?.["x-ms-policy-result"] ?? "done")} (the default policy is in force)`;
    });
  const signerBox = form.querySelector<HTMLTextAreaElement>(".signer-input");
  for (const op of ["add", "remove"] as const) {
    const button = form.querySelector<HTMLButtonElement>(`.${op}-signer`);
    if (!button || !signerBox) continue;
    button.onclick = () =>
      void run(async () => {
        const input = signerBox.value.trim();
        if (input === "") throw new Error("paste a policy signer token (JWS) in the box first");
        if (/-----BEGIN CERTIFICATE-----/.test(input)) {
          throw new Error(
            "this is a certificate (PEM); the REST API takes a policy signer token, a JWS signed by a current signer that names the certificate: make it with `maa-policy signer-token --add new-cert.pem --key signer-key.pem --cert signer-cert.pem`",
          );
        }
        const r = (await api(`/${p.name}/certificates:${op}?api-version=${API}`, { method: "POST", headers: { "content-type": "text/plain" }, body: input })) as { token: string };
        const c = jwtClaims(r.token) ?? {};
        return `signer ${String(c["x-ms-certificate-thumbprint"] ?? "")} of ${p.name}: ${String(c["x-ms-policycertificates-result"] ?? "done")}`;
      });
  }
  return form;
}

/** How many provider refreshes are running (`data-refreshing` on the body while any is: the layout may move). */
let refreshing = 0;

async function refreshProviders(): Promise<void> {
  refreshing++;
  document.body.dataset["refreshing"] = "true";
  try {
    await readProviders();
  } finally {
    refreshing--;
    document.body.dataset["refreshing"] = String(refreshing > 0);
  }
}

async function readProviders(): Promise<void> {
  const out = $("providers");
  try {
    const list = ((await api("/_providers")) as { value: ProviderStatus[] }).value;
    const names = new Set(list.map((p) => p.name));
    for (const [name, s] of sections) {
      if (!names.has(name)) {
        s.section.remove();
        sections.delete(name);
      }
    }
    out.querySelector(".none")?.remove();
    if (list.length === 0) out.innerHTML = "<p class=none>no providers</p>";
    await Promise.all(
      list.map(async (p) => {
        let s = sections.get(p.name);
        if (!s) {
          const section = document.createElement("section");
          section.className = "provider";
          section.dataset["name"] = p.name;
          section.innerHTML = `<h3>${esc(p.name)}</h3><div class=info></div>`;
          section.append(manageForm(p));
          s = { section, info: section.querySelector<HTMLElement>(".info")! };
          sections.set(p.name, s);
        }
        await refreshInfo(p, s.info);
      }),
    );
    // Put each section in its place, moving only those out of place: a moved element loses the
    // focus, and the user may be typing in a form.
    list.forEach((p, i) => {
      const section = sections.get(p.name)!.section;
      if (out.children[i] !== section) out.insertBefore(section, out.children[i] ?? null);
    });
    showTokenNote();
    $("status").textContent = "";
  } catch (e) {
    $("status").textContent = `The providers cannot be read: ${e instanceof ApiError ? refusal(e) : messageOf(e)}`;
  }
}

interface FeedEvaluation { decision: string; policyHash: string; draft: boolean; traceRules: number; traceTruncated: boolean; trace?: TraceJson[] }
interface AttestationRecord { id: number; time: string; provider: string; type: string; status: number; claims: Record<string, unknown> | null; claimsOmitted: number; error: string | null; evaluation: FeedEvaluation | null }

/** The rows shown, by record id: new records are added on top, so an open trace stays open. */
const rows = new Map<number, HTMLElement>();

function outcomeText(a: AttestationRecord): string {
  if (a.status < 400) return `${a.evaluation?.decision ?? "permit"}: token issued`;
  if (a.evaluation) return `${a.evaluation.decision}: ${a.error ?? ""}`;
  return `refused before the policy ran: ${a.error ?? ""}`;
}

function attestationItem(a: AttestationRecord): HTMLElement {
  const li = document.createElement("li");
  li.className = "attestation";
  li.dataset["id"] = String(a.id);
  const ok = a.status < 400;
  li.innerHTML = `<p class=summary><time>${esc(a.time)}</time> <strong>${esc(a.provider)}</strong> ${esc(a.type)}: <span class="${ok ? "outcome passed" : "outcome failed"}">${esc(outcomeText(a))}</span></p>${
    a.claims ? `<details class=claims><summary>${Object.keys(a.claims).length} claims in the token${a.claimsOmitted > 0 ? ` (and ${a.claimsOmitted} more the console did not keep)` : ""}</summary><pre>${esc(JSON.stringify(a.claims, null, 2))}</pre></details>` : ""
  }${
    a.evaluation
      ? `<details class=why><summary>Trace of why: ${a.evaluation.traceRules} rule${a.evaluation.traceRules === 1 ? "" : "s"} evaluated, ${esc(a.evaluation.decision)}</summary><p class=policy-of>${a.evaluation.draft ? "draft policy" : "policy"} <code>${esc(a.evaluation.policyHash)}</code></p><p class=trace-status role=status></p><ol class=trace></ol></details>`
      : ""
  }`;
  const details = li.querySelector<HTMLDetailsElement>("details.why");
  if (details) {
    let loaded = false;
    details.addEventListener("toggle", () => {
      if (!details.open || loaded) return;
      loaded = true;
      const status = details.querySelector<HTMLElement>(".trace-status")!;
      status.textContent = "loading the trace…";
      void (api(`/_console/attestations/${a.id}`) as Promise<AttestationRecord>).then(
        (full) => {
          const ev = full.evaluation;
          const trace = ev?.trace ?? [];
          renderTrace(details.querySelector<HTMLElement>("ol.trace")!, trace, { showSource: true });
          status.textContent = ev?.traceTruncated ? `the service kept ${trace.length} of ${ev.traceRules} rules, cut to bound its memory` : "";
          details.dataset["loaded"] = "true";
        },
        (e: unknown) => {
          loaded = false;
          status.textContent = `The trace cannot be read: ${e instanceof ApiError ? refusal(e) : messageOf(e)}`;
        },
      );
    });
  }
  return li;
}

async function refreshAttestations(): Promise<void> {
  const box = $("attestations");
  try {
    const list = ((await api("/_console/attestations")) as { value: AttestationRecord[] }).value;
    box.querySelector(":scope > .failed")?.remove();
    if (list.length === 0) {
      rows.clear();
      box.innerHTML = "<p class=none>none yet</p>";
      return;
    }
    let ol = box.querySelector<HTMLOListElement>("ol.attestations");
    if (!ol) {
      box.innerHTML = "";
      ol = document.createElement("ol");
      ol.className = "attestations";
      box.append(ol);
    }
    const kept = new Set(list.map((a) => a.id));
    for (const [id, row] of rows) {
      if (!kept.has(id)) {
        row.remove();
        rows.delete(id);
      }
    }
    // Newest first, ids increase: the new ones go on top, oldest of them first.
    for (const a of [...list].reverse()) {
      if (rows.has(a.id)) continue;
      const row = attestationItem(a);
      rows.set(a.id, row);
      ol.prepend(row);
    }
  } catch (e) {
    if (!box.querySelector(":scope > .failed")) box.insertAdjacentHTML("afterbegin", "<p class=failed></p>");
    box.querySelector(":scope > .failed")!.textContent = `The attestations cannot be read: ${e instanceof ApiError ? refusal(e) : messageOf(e)}`;
  }
}

$<HTMLInputElement>("token").value = sessionStorage.getItem(TOKEN_KEY) ?? "";
$("token").addEventListener("input", showTokenNote);
$("connect").onclick = () => {
  if (token()) sessionStorage.setItem(TOKEN_KEY, token());
  else sessionStorage.removeItem(TOKEN_KEY);
  showTokenNote();
  void refreshProviders();
  void refreshAttestations();
};
$("forget").onclick = () => {
  sessionStorage.removeItem(TOKEN_KEY);
  $<HTMLInputElement>("token").value = "";
  showTokenNote();
};
showTokenNote();
void refreshProviders();
void refreshAttestations();
setInterval(() => void refreshAttestations(), 2000);
document.body.dataset["ready"] = "true";
