/**
 * Just enough DER (ITU-T X.690) to find a key in an X.509 certificate or a PKCS#8 private key: PEM
 * blocks decoded, elements walked, a certificate's SubjectPublicKeyInfo and a key's algorithm
 * told apart by their object identifiers. Nothing here verifies a certificate: Web Crypto imports
 * the key, and the authorization server checks the certificate.
 *
 * @module
 */

/** One DER element: its tag, where its contents start and end, and where the whole element starts. */
export interface DerElement {
  readonly tag: number;
  readonly from: number;
  readonly start: number;
  readonly end: number;
}

/** The key algorithms tokenkeeper imports, by the DER of their object identifier (hex). */
const algorithms: Record<string, string> = {
  "2a864886f70d010101": "RSA", // rsaEncryption, RFC 8017
  "2a8648ce3d0201": "EC", // id-ecPublicKey, RFC 5480
  "2b6570": "Ed25519", // id-Ed25519, RFC 8410
};
/** The named curves of EC keys, by the DER of their object identifier (hex). */
const curves: Record<string, string> = {
  "2a8648ce3d030107": "P-256",
  "2b81040022": "P-384",
  "2b81040023": "P-521",
};

const malformed = (what: string): TypeError => new TypeError(`${what} is not valid DER`);

/**
 * The element that starts at `from`, within `limit`.
 * @throws {TypeError} Naming `what`, when it is cut short or its length is not DER.
 */
export function readElement(bytes: Uint8Array, from: number, what: string, limit: number = bytes.length): DerElement {
  if (from + 2 > limit || (bytes[from]! & 0x1f) === 0x1f) throw malformed(what);
  let length = bytes[from + 1]!;
  let start = from + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    // Definite lengths only, in at most 4 bytes (no certificate is 4 GiB).
    if (count === 0 || count > 4 || start + count > limit) throw malformed(what);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i]!;
    start += count;
  }
  const end = start + length;
  if (end > limit) throw malformed(what);
  return { tag: bytes[from]!, from, start, end };
}

/**
 * The elements inside a constructed element (a SEQUENCE), in order.
 * @throws {TypeError} Naming `what`, when one of them is not DER.
 */
export function children(bytes: Uint8Array, parent: DerElement, what: string): DerElement[] {
  const out: DerElement[] = [];
  for (let at = parent.start; at < parent.end;) {
    const element = readElement(bytes, at, what, parent.end);
    out.push(element);
    at = element.end;
  }
  return out;
}

/** The contents of an element, as lowercase hex. */
function hex(bytes: Uint8Array, element: DerElement | undefined): string {
  return element === undefined ? "" : Array.from(bytes.subarray(element.start, element.end), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The DER bytes of every PEM block labelled `label` (RFC 7468) in `text`, in order. Literal `\n`
 * escapes, as a PEM pasted into an environment variable or JSON often has, are read as line breaks.
 * @throws {TypeError} Naming `what`, when a block's base64 is not valid.
 */
export function pemBlocks(text: string, label: string, what: string): Uint8Array[] {
  const blocks: Uint8Array[] = [];
  const pattern = new RegExp(`-----BEGIN ${label}-----([^-]*)-----END ${label}-----`, "g");
  for (const [, body] of text.replace(/\\n/g, "\n").matchAll(pattern)) {
    let binary: string;
    try {
      binary = atob(body!.replace(/\s+/g, ""));
    } catch {
      throw new TypeError(`${what}: the ${label} block is not base64`);
    }
    blocks.push(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  }
  return blocks;
}

/** A key's algorithm as an X.509 or PKCS#8 AlgorithmIdentifier names it. */
export interface KeyAlgorithm {
  /** `RSA`, `EC` or `Ed25519`; `undefined` for any other. */
  readonly kind: string | undefined;
  /** An EC key's named curve (`P-256`, `P-384`, `P-521`). */
  readonly namedCurve: string | undefined;
}

function keyAlgorithm(bytes: Uint8Array, identifier: DerElement, what: string): KeyAlgorithm {
  const [oid, parameters] = children(bytes, identifier, what);
  const kind = algorithms[hex(bytes, oid)];
  return { kind, namedCurve: kind === "EC" ? curves[hex(bytes, parameters)] : undefined };
}

/** An X.509 certificate's DER and what tokenkeeper reads of it. */
export interface Certificate {
  /** The DER-encoded SubjectPublicKeyInfo, for `crypto.subtle.importKey("spki", …)`. */
  readonly spki: Uint8Array;
  /** The algorithm of its public key. */
  readonly algorithm: KeyAlgorithm;
}

/**
 * Finds the SubjectPublicKeyInfo of a DER X.509 certificate (RFC 5280 §4.1): the seventh field of
 * tbsCertificate, the sixth when the optional `[0]` version is absent.
 * @throws {TypeError} When `der` is not a certificate.
 */
export function readCertificate(der: Uint8Array): Certificate {
  const what = "certificate";
  const certificate = readElement(der, 0, what);
  if (certificate.tag !== 0x30 || certificate.end !== der.length) throw malformed(what);
  const tbs = children(der, certificate, what)[0];
  if (tbs?.tag !== 0x30) throw malformed(what);
  const fields = children(der, tbs, what);
  const spki = fields[fields[0]?.tag === 0xa0 ? 6 : 5];
  const identifier = spki?.tag === 0x30 ? children(der, spki, what)[0] : undefined;
  if (identifier?.tag !== 0x30) throw malformed(what);
  return { spki: der.slice(spki!.from, spki!.end), algorithm: keyAlgorithm(der, identifier, what) };
}

/**
 * The algorithm of a DER PKCS#8 PrivateKeyInfo (RFC 5208 §5): its second field.
 * @throws {TypeError} When `der` is not PKCS#8.
 */
export function readPrivateKeyAlgorithm(der: Uint8Array): KeyAlgorithm {
  const what = "PKCS#8 private key";
  const info = readElement(der, 0, what);
  if (info.tag !== 0x30 || info.end !== der.length) throw malformed(what);
  const [version, identifier] = children(der, info, what);
  if (version?.tag !== 0x02 || identifier?.tag !== 0x30) throw malformed(what);
  return keyAlgorithm(der, identifier, what);
}
