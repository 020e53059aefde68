// What every subject (tokenkeeper and each peer) offers the harness.

export interface Env {
  origin: string;
  tokenUrl: string;
  resourceUrl: string;
  clientId: string;
  clientSecret: string;
  /** The lifetime the token server gives tokens, in seconds; a user of the API would know it. */
  lifetimeS: number;
}

export interface Instance {
  /** The call a user makes for a valid token, exactly as measured on the hot path. */
  getToken(): Promise<unknown>;
  /** The access token string in a `getToken()` result. */
  tokenOf(result: unknown): string;
  /** A GET to a protected resource with the token attached, the way the library offers it. */
  fetch(url: string): Promise<Response>;
  close(): Promise<void>;
}

export interface Subject {
  name: string;
  create(env: Env): Promise<Instance>;
}
