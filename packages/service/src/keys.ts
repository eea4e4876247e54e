/**
 * Key material: RSA-2048 keys (node:crypto), self-signed certificates (@peculiar/x509), and the
 * signing identity of a provider (its key, its certificate whose subject is the provider's URL, the
 * `kid` and the JWK published in `/certs`).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, webcrypto, X509Certificate, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
// @peculiar/x509 (through tsyringe) needs the Reflect metadata polyfill loaded first.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const generateKeyPairAsync = promisify(generateKeyPair);
const RSA_ALG = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

/** A new RSA-2048 private key, PKCS#8 PEM. */
export async function generateRsaKeyPem(): Promise<string> {
  const { privateKey } = await generateKeyPairAsync("rsa", { modulusLength: 2048, publicExponent: 0x10001 });
  return privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

/** What a certificate is made of. */
export interface CertificateRequest {
  readonly keyPem: string;
  /** The subject (and issuer) common name. */
  readonly commonName: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** DNS names and IP addresses (TLS certificates). */
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  /** A CA certificate (trusted policy signers); default false. */
  readonly ca?: boolean;
}

/** The serial number: a hash of the key and the name, so a certificate depends on its inputs only. */
function serialOf(spki: Buffer, commonName: string): string {
  const h = createHash("sha256").update(spki).update(commonName).digest();
  h[0] = (h[0] as number) & 0x7f; // positive
  return h.subarray(0, 16).toString("hex");
}

/**
 * A self-signed certificate for `keyPem`, PEM. RSA PKCS#1 v1.5 signatures are deterministic, so
 * the same request gives the same certificate, byte for byte.
 */
export async function selfSignedCertificate(req: CertificateRequest): Promise<string> {
  const privateKey = createPrivateKey(req.keyPem);
  const spki = createPublicKey(privateKey).export({ type: "spki", format: "der" });
  const pkcs8 = privateKey.export({ type: "pkcs8", format: "der" });
  const keys = {
    privateKey: await webcrypto.subtle.importKey("pkcs8", pkcs8, RSA_ALG, false, ["sign"]),
    publicKey: await webcrypto.subtle.importKey("spki", spki, RSA_ALG, true, ["verify"]),
  } as unknown as x509.X509CertificateCreateSelfSignedParams["keys"];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(req.ca === true, undefined, true),
    new x509.KeyUsagesExtension(
      req.ca === true ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  const names = [
    ...(req.dnsNames ?? []).map((value) => ({ type: "dns" as const, value })),
    ...(req.ipAddresses ?? []).map((value) => ({ type: "ip" as const, value })),
  ];
  if (names.length > 0) {
    extensions.push(new x509.SubjectAlternativeNameExtension(names));
    extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]));
  }
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialOf(spki, req.commonName),
    name: [{ CN: [req.commonName] }],
    notBefore: req.notBefore,
    notAfter: req.notAfter,
    signingAlgorithm: RSA_ALG,
    keys,
    extensions,
  });
  return cert.toString("pem") + "\n";
}

/** The validity of provider signing certificates: as the real service's (SERVICE.md section 6). */
export const SIGNING_CERT_VALIDITY = { notBefore: new Date("2019-05-01T00:00:00Z"), notAfter: new Date("2050-12-31T23:59:59Z") } as const;

/** A provider's token-signing identity. */
export interface SigningIdentity {
  readonly privateKey: KeyObject;
  readonly certificate: X509Certificate;
  /** Standard base64 of the certificate DER (an `x5c` entry). */
  readonly x5c: string;
  /** The key id: standard base64 of SHA-256 of the public key (SPKI DER). */
  readonly kid: string;
  /** The JWK published in `/certs`: `x5c`, `kid`, `kty`, and `n`/`e`. */
  readonly jwk: { readonly e: string; readonly kid: string; readonly kty: "RSA"; readonly n: string; readonly x5c: readonly string[] };
}

/** The signing identity of the key `keyPem` for the provider at `url` (the certificate's subject). */
export async function signingIdentity(keyPem: string, url: string): Promise<SigningIdentity> {
  const privateKey = createPrivateKey(keyPem);
  const publicKey = createPublicKey(privateKey);
  const certPem = await selfSignedCertificate({ keyPem, commonName: url, ...SIGNING_CERT_VALIDITY });
  const certificate = new X509Certificate(certPem);
  const x5c = certificate.raw.toString("base64");
  const kid = createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("base64");
  const { n, e } = publicKey.export({ format: "jwk" }) as { n: string; e: string };
  return { privateKey, certificate, x5c, kid, jwk: { e, kid, kty: "RSA", n, x5c: [x5c] } };
}

/** Uppercase hex SHA-1 of a certificate's DER: `x-ms-certificate-thumbprint`. */
export function thumbprint(cert: X509Certificate): string {
  return createHash("sha1").update(cert.raw).digest("hex").toUpperCase();
}
