// The token server and protected resource every subject talks to: Hono on a real local socket.
// It counts token requests and remembers, server-side, when each token was issued, so the
// resource can reject a token older than its lifetime and the harness can tell whether a caller
// waited for a token issued after its call started.
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";

export const clientId = "bench-client";
export const clientSecret = "bench-secret-not-real";

interface Issued {
  seq: number;
  issuedAt: number; // performance.now() when the response was produced
  lifetimeMs: number;
}

export interface TokenServer {
  origin: string;
  tokenUrl: string;
  resourceUrl: string;
  /** expires_in (seconds) of the tokens issued from now on. */
  setLifetime(seconds: number): void;
  /** Token requests received since the last reset. */
  tokenRequests(): number;
  /** Resource calls rejected because the token was older than its lifetime, since the last reset. */
  expiredRejections(): number;
  /** Resource calls, since the last reset. */
  resourceCalls(): number;
  /** performance.now() at which `accessToken` was issued, or undefined. */
  issuedAt(accessToken: string): number | undefined;
  reset(): void;
  /** Drops the record of issued tokens (it lives in the harness's heap; memory rows exclude it). */
  forget(): void;
  /** A valid token, issued without counting, for baselines. */
  mint(): string;
  close(): Promise<void>;
}

export async function startTokenServer(): Promise<TokenServer> {
  let lifetimeS = 3600;
  let seq = 0;
  let tokenRequests = 0;
  let expired = 0;
  let resourceCalls = 0;
  const issued = new Map<string, Issued>();

  const mint = (): string => {
    const n = ++seq;
    const token = `tk${n}.${Math.random().toString(36).slice(2, 14)}`;
    issued.set(token, { seq: n, issuedAt: performance.now(), lifetimeMs: lifetimeS * 1000 });
    return token;
  };

  let origin = "";
  const metadata = () => ({
    issuer: origin,
    token_endpoint: `${origin}/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
    grant_types_supported: ["client_credentials"],
  });

  const app = new Hono();
  app.get("/.well-known/oauth-authorization-server", (c) => c.json(metadata()));
  app.get("/.well-known/openid-configuration", (c) => c.json(metadata()));
  app.post("/token", async (c) => {
    tokenRequests++;
    const form = new URLSearchParams(await c.req.text());
    let id = form.get("client_id");
    let secret = form.get("client_secret");
    const basic = c.req.header("authorization");
    if (basic?.startsWith("Basic ")) {
      const [u, p] = atob(basic.slice(6)).split(":").map((s) => decodeURIComponent(s.replace(/\+/g, " ")));
      id = u ?? null;
      secret = p ?? null;
    }
    if (form.get("grant_type") !== "client_credentials") return c.json({ error: "unsupported_grant_type" }, 400);
    if (id !== clientId || secret !== clientSecret) return c.json({ error: "invalid_client" }, 401);
    c.header("cache-control", "no-store");
    return c.json({ access_token: mint(), token_type: "Bearer", expires_in: lifetimeS });
  });
  app.get("/resource", (c) => {
    resourceCalls++;
    const auth = c.req.header("authorization") ?? "";
    const token = auth.startsWith("Bearer ") ? auth.slice(7) : "";
    const info = issued.get(token);
    if (!info) {
      c.header("www-authenticate", 'Bearer error="invalid_token"');
      return c.json({ error: "invalid_token" }, 401);
    }
    if (performance.now() - info.issuedAt >= info.lifetimeMs) {
      expired++;
      c.header("www-authenticate", 'Bearer error="invalid_token", error_description="expired"');
      return c.json({ error: "invalid_token" }, 401);
    }
    return c.json({ ok: true });
  });

  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    tokenUrl: `${origin}/token`,
    resourceUrl: `${origin}/resource`,
    setLifetime: (s) => void (lifetimeS = s),
    tokenRequests: () => tokenRequests,
    expiredRejections: () => expired,
    resourceCalls: () => resourceCalls,
    issuedAt: (t) => issued.get(t)?.issuedAt,
    reset: () => {
      tokenRequests = 0;
      expired = 0;
      resourceCalls = 0;
    },
    forget: () => issued.clear(),
    mint,
    close: () =>
      new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
