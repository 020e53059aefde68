// What a test sees of an authorization server under test, and how it is started at most once.
import type { FetchLike } from "../../mod.ts";

/**
 * A running authorization server with its protected resources, on loopback.
 *
 * Its resources answer `GET /resource` for any valid token and `GET /scoped` only for a token with
 * the fixture's scope, both with JSON `{ client_id, scope }`, after the server itself validated
 * the token; otherwise `401` (`invalid_token`) or `403` (`insufficient_scope`).
 */
export interface InteropServer {
  /** The server's name and version, as in docs/interop.md. */
  readonly name: string;
  /** Where a keeper finds the token endpoint: a static URL, or an issuer to discover. */
  readonly where: { readonly tokenEndpoint: string } | { readonly issuer: string };
  /** The token endpoint URL (also when the keeper discovers it), to count token requests. */
  readonly tokenEndpoint: string;
  /** The origin of the protected resources. */
  readonly origin: string;
  /** A fetch that reaches the server: for TLS, one that trusts the test CA and nothing else. */
  readonly fetch: FetchLike;
  /** Whether the server speaks plain http (on loopback). */
  readonly insecure: boolean;
  /** Stops the server and waits until it is gone. */
  stop(): Promise<void>;
}

/** A server started on first use, so a failed start fails every test that needs it. */
export interface LazyServer {
  /** The running server; rejects with the start error, on every call, when it could not start. */
  get(): Promise<InteropServer>;
  /** Stops the server when it was started; does nothing otherwise. */
  stop(): Promise<void>;
}

/**
 * Wraps a start function so that the server starts once, on the first `get()`.
 *
 * @param start Starts the server.
 * @returns The lazy handle; call `stop()` in the suite's `after` hook.
 */
export function lazyServer(start: () => Promise<InteropServer>): LazyServer {
  let started: Promise<InteropServer> | undefined;
  return {
    get: () => (started ??= start()),
    async stop() {
      const server = await started?.catch(() => undefined);
      await server?.stop();
    },
  };
}
