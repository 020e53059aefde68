/**
 * A Web Crypto key: the host's own `CryptoKey` type where its type declarations have one (the DOM
 * lib, Deno, Bun, Workers), else the members tokenkeeper reads. So tokenkeeper's types compile in
 * a project with neither the DOM lib nor a global `CryptoKey` (Node with `lib: ["ES2022"]` and
 * `@types/node` 20), as oauth4webapi's do.
 */
export type CryptoKey = typeof globalThis extends { CryptoKey: { prototype: infer Key } }
  ? Key
  : { readonly algorithm: { readonly name: string }; readonly extractable: boolean; readonly type: string; readonly usages: readonly string[] };

/** An asymmetric key pair of {@link CryptoKey}s, as `crypto.subtle.generateKey()` makes one. */
export interface CryptoKeyPair {
  /** The private key. */
  readonly privateKey: CryptoKey;
  /** The public key. */
  readonly publicKey: CryptoKey;
}
