/**
 * @maa-policy/service: a local, offline Microsoft Azure Attestation service (MAA's data-plane
 * REST API). Composes policy-core (policies, JWS) and the evidence appraiser; owns all I/O.
 */
export { buildApp, DEFAULT_BODY_LIMIT, type AppConfig } from "./app.js";
export { startService, defaultDataDir, mintTokenForDataDir, StartupError, DATA_FILES, type ServiceOptions, type RunningService, type ProviderOption } from "./serve.js";
export { Authenticator, mintAccessToken, parseRole, challenge, AUDIENCE, ROLES, type Role, type Principal } from "./auth/auth.js";
export { ProviderRegistry, type ProviderStatus, type ProviderSpec } from "./providers/registry.js";
export { FileStore, writeFileAtomic } from "./store/file-store.js";
export { MemoryStore, StoreError, type Store, type ProviderRecord } from "./store/store.js";
export { ServiceError, errorBody, type ServiceErrorCode, type ErrorBody } from "./errors.js";
export { generateRsaKeyPem, selfSignedCertificate, signingIdentity, type SigningIdentity } from "./keys.js";
export { API_VERSIONS, POLICY_TYPES, ATTEST_TYPES, DEFAULT_SGX_POLICY, defaultPolicyJws, defaultPolicyText } from "./providers/types.js";
export { ATTESTATION_TOKEN_LIFETIME, MANAGEMENT_TOKEN_LIFETIME } from "./service-tokens.js";
export type { AttestEngine, AttestInput, Appraisal, AppraisalFailure } from "./attest/engine.js";
export { SigningThread, POOL_SIGNER, type Rs256Signer } from "./signing.js";
export { managementRequest, type ClientOptions, type ClientResponse } from "./client.js";
export { AttestationFeed, KEPT_ATTESTATIONS, TRACE_BYTES, STRING_CHARS, LAZY_CHARS, type AttestationRecord, type AttestationSummary, type FeedEvaluation, type TraceRecordEntry } from "./attest/feed.js";
