/**
 * The providers at run time: each stored record with its URL and signing identity (derived from
 * the stored key, the certificate re-made for the current URL, deterministically).
 */
import { generateRsaKeyPem, signingIdentity, type SigningIdentity } from "../keys.js";
import { ServiceError } from "../errors.js";
import { PROVIDER_NAME, StoreConflict, type ProviderRecord, type Store } from "../store/store.js";
import type { TokenIssuer } from "../service-tokens.js";
import { POOL_SIGNER, type Rs256Signer } from "../signing.js";
import type { TrustModel } from "@maa-policy/core";

/** What a provider is, for the management API and the start-up banner. */
export interface ProviderStatus {
  readonly name: string;
  readonly status: "Ready";
  readonly trustModel: "AAD" | "Isolated";
  readonly attestUri: string;
  readonly attestRequiresAuth: boolean;
  readonly signers: number;
}

/** How to create a provider. */
export interface ProviderSpec {
  readonly name: string;
  readonly trustModel: TrustModel;
  /** Standard base64 DER of the trusted signers (isolated only; at least one). */
  readonly signers?: readonly string[];
  readonly attestRequiresAuth?: boolean;
}

export class ProviderRegistry {
  private readonly identities = new Map<string, { keyPem: string; identity: Promise<SigningIdentity> }>();

  constructor(
    readonly store: Store,
    /** `scheme://host:port`, no trailing slash. */
    private base: string,
    /** Makes the signing key of a new provider (PKCS#8 PEM). */
    private readonly generateKey: () => Promise<string> = generateRsaKeyPem,
    /** Who signs the providers' tokens (default: libuv's thread pool; the service gives its signing thread). */
    private readonly signer: Rs256Signer = POOL_SIGNER,
  ) {}

  get baseUrl(): string {
    return this.base;
  }

  /** Sets the base URL (known once listening); provider certificates are re-made for it. */
  setBaseUrl(url: string): void {
    if (url === this.base) return;
    this.base = url;
    this.identities.clear();
  }

  url(name: string): string {
    return `${this.baseUrl}/${name}`;
  }

  /** The record of `name`, or a 404. */
  record(name: string): ProviderRecord {
    const r = this.store.get(name);
    if (!r) throw new ServiceError("NotFound", `no attestation provider \`${name}\` here (providers: ${this.store.list().map((p) => p.name).join(", ") || "none"})`);
    return r;
  }

  /** The token issuer of a provider. */
  async issuer(record: ProviderRecord): Promise<TokenIssuer> {
    let cached = this.identities.get(record.name);
    if (!cached || cached.keyPem !== record.signingKeyPem) {
      cached = { keyPem: record.signingKeyPem, identity: signingIdentity(record.signingKeyPem, this.url(record.name)) };
      this.identities.set(record.name, cached);
    }
    return { url: this.url(record.name), identity: await cached.identity, signer: this.signer };
  }

  status(record: ProviderRecord): ProviderStatus {
    return {
      name: record.name,
      status: "Ready",
      trustModel: record.trustModel === "aad" ? "AAD" : "Isolated",
      attestUri: this.url(record.name),
      attestRequiresAuth: record.attestRequiresAuth,
      signers: record.signers.length,
    };
  }

  /** Creates a provider with a new signing key; throws `ServiceError` for a bad spec or a taken name. */
  async create(spec: ProviderSpec): Promise<ProviderRecord> {
    if (!PROVIDER_NAME.test(spec.name)) {
      throw new ServiceError("InvalidParameter", `provider name \`${spec.name}\`: use 3 to 24 lower-case letters and digits`);
    }
    const signers = spec.signers ?? [];
    if (spec.trustModel === "isolated" && signers.length === 0) {
      throw new ServiceError("InvalidParameter", `provider \`${spec.name}\`: an isolated provider needs at least one trusted signer certificate`);
    }
    if (spec.trustModel === "aad" && signers.length > 0) {
      throw new ServiceError("InvalidParameter", `provider \`${spec.name}\`: an AAD provider has no trusted signers (give signers to make it isolated)`);
    }
    const record: ProviderRecord = {
      name: spec.name,
      trustModel: spec.trustModel,
      attestRequiresAuth: spec.attestRequiresAuth ?? false,
      signingKeyPem: await this.generateKey(),
      policies: {},
      signers: [...new Set(signers)],
      revision: 1,
    };
    try {
      const created = await this.store.create(record);
      await this.issuer(created);
      return created;
    } catch (e) {
      if (e instanceof StoreConflict) throw new ServiceError("Conflict", `provider \`${spec.name}\` exists`);
      throw e;
    }
  }

  async remove(name: string): Promise<boolean> {
    this.identities.delete(name);
    return this.store.remove(name);
  }
}
