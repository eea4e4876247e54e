/**
 * The service console (served by `maa-policy serve` at `/`): the providers, each provider's policy
 * per attestation type (decoded, hash, signed or not, "open in playground"), the signers, and the
 * last attestations, polled live. Everything comes from the service's REST API with the bearer
 * token the user pastes (`maa-policy serve token`); write actions send it and the API decides.
 */
import "reflect-metadata";
import { packPolicy, policyHash } from "@maa-policy/core";
import { X509Certificate } from "@peculiar/x509";
import "./style.css";

const API = "2025-06-01";
const TYPES = ["SgxEnclave", "OpenEnclave", "SevSnpVm", "TdxVm", "Tpm"] as const;
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
function b64urlBytes(s: string): Uint8Array {
  const b = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}
function b64url(bytes: Uint8Array): string {
  let s = "";
  for (const x of bytes) s += String.fromCharCode(x);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
/** A compact JWS's header and payload (JSON), without verifying: the service signed it. */
function jwsParts(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split(".");
  const dec = (x: string | undefined) => JSON.parse(new TextDecoder().decode(b64urlBytes(x ?? ""))) as Record<string, unknown>;
  return { header: dec(h), payload: dec(p) };
}

const token = () => $<HTMLInputElement>("token").value.trim();
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
    const e = (body as { error?: { code?: string; message?: string } }).error;
    throw new Error(`${r.status} ${e?.code ?? ""}: ${e?.message ?? text}`);
  }
  return body;
}

interface ProviderStatus { name: string; trustModel: string; attestUri: string; attestRequiresAuth: boolean; signers: number }

async function signersOf(name: string): Promise<string> {
  const r = (await api(`/${name}/certificates?api-version=${API}`)) as { token: string };
  const keys = ((jwsParts(r.token).payload["x-ms-policy-certificates"] as { keys?: { x5c?: string[] }[] } | undefined)?.keys ?? []).flatMap((k) => k.x5c?.slice(0, 1) ?? []);
  if (keys.length === 0) return "<p class=none>no policy signers</p>";
  const rows = await Promise.all(
    keys.map(async (der) => {
      const cert = new X509Certificate(der);
      const thumb = [...new Uint8Array(await cert.getThumbprint("SHA-1"))].map((x) => x.toString(16).padStart(2, "0")).join("").toUpperCase();
      return `<tr><td>${esc(cert.subject)}</td><td><code>${thumb}</code></td></tr>`;
    }),
  );
  return `<table><thead><tr><th>signer subject</th><th>SHA-1 thumbprint</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

async function policyOf(name: string, type: string): Promise<string> {
  try {
    const r = (await api(`/${name}/policies/${type}?api-version=${API}`)) as { token: string };
    const jws = jwsParts(r.token).payload["x-ms-policy"];
    if (typeof jws !== "string" || jws.split(".")[1] === "") return `<p>${esc(type)}: no policy set</p>`;
    const inner = jwsParts(jws);
    const encoded = inner.payload["AttestationPolicy"];
    const text = typeof encoded === "string" ? new TextDecoder().decode(b64urlBytes(encoded)) : "";
    const signed = inner.header["alg"] !== "none";
    const link = `/playground/#policy=${b64url(new TextEncoder().encode(text))}`;
    return `<details class=policy data-type="${esc(type)}"><summary>${esc(type)}: ${signed ? "signed" : "unsigned"}, hash <code>${esc(policyHash(text))}</code> <a href="${esc(link)}">open in playground</a></summary><pre>${esc(text)}</pre></details>`;
  } catch (e) {
    return `<p class=failed>${esc(type)}: ${esc(e instanceof Error ? e.message : String(e))}</p>`;
  }
}

async function refreshProviders(): Promise<void> {
  const out = $("providers");
  try {
    const list = ((await api("/_providers")) as { value: ProviderStatus[] }).value;
    const parts = await Promise.all(
      list.map(async (p) => {
        const policies = (await Promise.all(TYPES.map((t) => policyOf(p.name, t)))).join("");
        const signers = await signersOf(p.name).catch((e: Error) => `<p class=failed>${esc(e.message)}</p>`);
        return `<section class=provider data-name="${esc(p.name)}"><h3>${esc(p.name)}</h3><p>trust model <strong>${esc(p.trustModel)}</strong>; attest URI <code>${esc(p.attestUri)}</code>${p.attestRequiresAuth ? "; attestation needs a token" : ""}</p>${signers}${policies}</section>`;
      }),
    );
    out.innerHTML = parts.join("") || "<p>no providers</p>";
    $("status").textContent = "";
  } catch (e) {
    $("status").textContent = e instanceof Error ? e.message : String(e);
  }
}

interface AttestationRecord { time: string; provider: string; type: string; status: number; claims: Record<string, unknown> | null; error: string | null }

async function refreshAttestations(): Promise<void> {
  try {
    const list = ((await api("/_console/attestations")) as { value: AttestationRecord[] }).value;
    $("attestations").innerHTML =
      list.length === 0
        ? "<p class=none>none yet</p>"
        : `<table><thead><tr><th>time</th><th>provider</th><th>type</th><th>result</th><th>issued claims</th></tr></thead><tbody>${list
            .map(
              (a) =>
                `<tr><td>${esc(a.time)}</td><td>${esc(a.provider)}</td><td>${esc(a.type)}</td><td>${a.error ? `<span class=failed>${esc(a.error)}</span>` : "token issued"}</td><td>${
                  a.claims ? `<details><summary>${Object.keys(a.claims).length} claims</summary><pre>${esc(JSON.stringify(a.claims, null, 2))}</pre></details>` : ""
                }</td></tr>`,
            )
            .join("")}</tbody></table>`;
  } catch (e) {
    $("attestations").textContent = e instanceof Error ? e.message : String(e);
  }
}

$<HTMLInputElement>("token").value = sessionStorage.getItem("maa-policy-token") ?? "";
$("connect").onclick = () => {
  sessionStorage.setItem("maa-policy-token", token());
  void refreshProviders();
  void refreshAttestations();
};
$("set-policy").onclick = async () => {
  const provider = $<HTMLInputElement>("set-provider").value.trim();
  const type = $<HTMLSelectElement>("set-type").value;
  const text = $<HTMLTextAreaElement>("set-text").value;
  try {
    const jws = (await packPolicy(text)).token;
    await api(`/${provider}/policies/${type}?api-version=${API}`, { method: "PUT", headers: { "content-type": "text/plain" }, body: jws });
    $("set-result").textContent = `${type} policy of ${provider} set`;
    void refreshProviders();
  } catch (e) {
    $("set-result").textContent = e instanceof Error ? e.message : String(e);
  }
};
void refreshProviders();
void refreshAttestations();
setInterval(() => void refreshAttestations(), 2000);
document.body.dataset["ready"] = "true";
