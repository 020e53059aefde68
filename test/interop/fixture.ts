// The clients every authorization server under test registers: one per client authentication,
// with fresh secrets and a fresh key pair each run.

/** A client that authenticates with a shared secret. */
export interface SecretClient {
  readonly clientId: string;
  readonly secret: string;
}

/** A client that authenticates with `private_key_jwt`. */
export interface KeyClient {
  readonly clientId: string;
  /** The ES256 signing key (not extractable). */
  readonly privateKey: CryptoKey;
  /** The public key as a JWK with `kid`, `alg` and `use`, for the server's registration. */
  readonly publicJwk: JsonWebKey & { kid: string; alg: string; use: string };
}

/** Every registered client, and the one scope the servers know. */
export interface Fixture {
  /** `client_secret_post`; allowed {@link Fixture.scope}. */
  readonly post: SecretClient;
  /** `client_secret_basic` with only unreserved characters in id and secret. */
  readonly basic: SecretClient;
  /** `client_secret_basic` with `:`, `+`, `%` (also as `%20`) and a space in id and secret. */
  readonly basicSpecial: SecretClient;
  /** `client_secret_jwt` (HS256). */
  readonly secretJwt: SecretClient;
  /** `private_key_jwt` (ES256). */
  readonly keyJwt: KeyClient;
  /** The JWT bearer grant (RFC 7523 §2.1, ES256), on servers that have it; it may act for {@link Fixture.jwtBearerUser}. */
  readonly jwtBearer: KeyClient;
  /** The user the JWT bearer client may name as `sub`. */
  readonly jwtBearerUser: string;
  /** The scope the post client may ask for, which the scoped resource requires. */
  readonly scope: string;
  /** Seconds every access token lives. */
  readonly tokenLifetimeSeconds: number;
}

const random = (): string => crypto.randomUUID().replaceAll("-", "");

/**
 * Makes the clients, with secrets no earlier run used.
 *
 * @returns The fixture each server registers.
 */
export async function createFixture(): Promise<Fixture> {
  const keyClient = async (clientId: string): Promise<KeyClient> => {
    const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
    const kid = `k-${random().slice(0, 8)}`;
    const { kty, crv, x, y } = await crypto.subtle.exportKey("jwk", pair.publicKey);
    return { clientId, privateKey: pair.privateKey, publicJwk: { kty: kty!, crv: crv!, x: x!, y: y!, kid, alg: "ES256", use: "sig" } };
  };
  return {
    post: { clientId: "tk-post", secret: `post-${random()}` },
    basic: { clientId: "tk-basic", secret: `basic-${random()}` },
    // "%20" spelled out too: a server that decodes twice, or treats "+" as a space, gets another id.
    basicSpecial: { clientId: "tk:basic+id%20 x", secret: `s:e+c%25r t ${random()}` },
    // 32 random bytes in hex: long enough for HS256 everywhere.
    secretJwt: { clientId: "tk-secret-jwt", secret: `${random()}${random()}` },
    keyJwt: await keyClient("tk-key-jwt"),
    jwtBearer: await keyClient("tk-jwt-bearer"),
    jwtBearerUser: "user-42",
    scope: "api:read",
    tokenLifetimeSeconds: 4,
  };
}
