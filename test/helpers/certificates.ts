// X.509 certificates for the tests, made with Web Crypto on every runtime: a fresh key pair (RSA,
// EC or Ed25519) in a certificate issued by a throwaway RSA CA (sha256WithRSAEncryption), no
// extensions. Test material only: nothing verifies the CA. test/node/certificates.test.ts checks
// that Node's own X.509 parser reads them as this helper says.

/** A certificate, its key pair and their PEM forms. */
export interface TestCertificate {
  /** The certificate's DER. */
  der: Uint8Array;
  /** The certificate as PEM. */
  pem: string;
  /** The subject's private key as PKCS#8 PEM. */
  keyPem: string;
  /** The subject's private key as a JWK, with `x5c` = [the certificate]. */
  jwk: { kty: string; x5c: string[]; kid?: string; [member: string]: unknown };
  /** The subject's public key (extractable, for verifying). */
  publicKey: CryptoKey;
  /** Base64url SHA-256 and SHA-1 of the DER: the `x5t#S256` and `x5t` a header should carry. */
  x5tS256: string;
  x5t: string;
}

export type TestKeyType = "RSA" | "P-256" | "P-384" | "Ed25519";

const tlv = (tag: number, ...parts: Uint8Array[]): Uint8Array => {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const head = length < 0x80 ? [length] : length < 0x100 ? [0x81, length] : length < 0x10000 ? [0x82, length >> 8, length & 0xff] : [0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
  const out = new Uint8Array(1 + head.length + length);
  out.set([tag, ...head]);
  let at = 1 + head.length;
  for (const part of parts) out.set(part, at), at += part.length;
  return out;
};
const hex = (text: string): Uint8Array => Uint8Array.from(text.match(/../g)!, (h) => parseInt(h, 16));
const seq = (...parts: Uint8Array[]) => tlv(0x30, ...parts);
const oid = (hexText: string) => tlv(0x06, hex(hexText));
const utf8 = (text: string) => tlv(0x0c, new TextEncoder().encode(text));
const name = (cn: string) => seq(tlv(0x31, seq(oid("550403"), utf8(cn))));
const time = (ms: number) => tlv(0x18, new TextEncoder().encode(new Date(ms).toISOString().replace(/[-:T]|\.\d+/g, "")));

export const base64 = (bytes: Uint8Array): string => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));
export const base64url = (bytes: Uint8Array): string => base64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
export const pem = (label: string, der: Uint8Array): string => `-----BEGIN ${label}-----\n${base64(der).match(/.{1,64}/g)!.join("\n")}\n-----END ${label}-----\n`;

const generation: Record<TestKeyType, AlgorithmIdentifier | RsaHashedKeyGenParams | EcKeyGenParams> = {
  RSA: { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
  "P-256": { name: "ECDSA", namedCurve: "P-256" },
  "P-384": { name: "ECDSA", namedCurve: "P-384" },
  Ed25519: { name: "Ed25519" },
};

let ca: Promise<CryptoKeyPair> | undefined;

/**
 * A fresh key pair of `type` in a certificate for `subject`, issued by the tests' throwaway CA.
 *
 * @param type The subject key's type.
 * @param subject The subject's common name.
 * @returns The certificate, its keys and their PEM and JWK forms.
 */
export async function createCertificate(type: TestKeyType = "RSA", subject = "tokenkeeper-test-client"): Promise<TestCertificate> {
  const issuer = await (ca ??= crypto.subtle.generateKey(generation.RSA, false, ["sign", "verify"]) as Promise<CryptoKeyPair>);
  const pair = await crypto.subtle.generateKey(generation[type], true, ["sign", "verify"]) as CryptoKeyPair;
  const signature = seq(oid("2a864886f70d01010b"), tlv(0x05)); // sha256WithRSAEncryption, NULL
  const serial = tlv(0x02, new Uint8Array([0x01, ...crypto.getRandomValues(new Uint8Array(15))]));
  const now = Date.now();
  const tbs = seq(
    tlv(0xa0, tlv(0x02, new Uint8Array([2]))), // v3
    serial,
    signature,
    name("tokenkeeper test CA"),
    seq(time(now - 86_400_000), time(now + 365 * 86_400_000)),
    name(subject),
    new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey)),
  );
  const signed = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", issuer.privateKey, tbs as BufferSource));
  const der = seq(tbs, signature, tlv(0x03, new Uint8Array([0]), signed));
  const digest = async (hash: string) => base64url(new Uint8Array(await crypto.subtle.digest(hash, der as BufferSource)));
  const privateJwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
  delete privateJwk.alg;
  delete privateJwk.key_ops;
  delete privateJwk.ext;
  return {
    der,
    pem: pem("CERTIFICATE", der),
    keyPem: pem("PRIVATE KEY", new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey))),
    jwk: { ...privateJwk, kty: privateJwk.kty!, x5c: [base64(der)] },
    publicKey: pair.publicKey,
    x5tS256: await digest("SHA-256"),
    x5t: await digest("SHA-1"),
  };
}
