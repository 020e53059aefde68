// The fake token server and API the examples run against in CI: a Hono app, runtime-neutral.
// Token endpoints (client_secret_post or client_secret_basic, the example credentials):
//   POST /oauth2/token and /token            a generic authorization server
//   POST /api/v1/idp/oauth2/token            the Cardlytics path
//   POST /oauth/token                        Auth0-style: refuses a request without `audience`
// The granted scope is the requested one. API: GET and POST /v2/*, which answer only to a token
// this server issued, with the token's scope and audience. Anything else is an HTML 404 page, as
// a web server answers a wrong URL.
import { Hono } from "hono";

/** The credentials the fake server accepts. */
export const EXAMPLE_CREDENTIALS = { clientId: "example-client", clientSecret: "example-secret" } as const;

/** A token request the fake received: its path and form (client secret included: never print it). */
export interface FakeTokenRequest {
  readonly path: string;
  readonly form: URLSearchParams;
}

/** Options of {@link createFakeApi}. */
export interface FakeApiOptions {
  /** Called for every token request, before it is answered. */
  onTokenRequest?: (request: FakeTokenRequest) => void;
  /**
   * The API answers this many of the first tokens issued with 401 `invalid_token`, as if they had
   * been revoked: a client that gets a new token and tries again succeeds. @default 0
   */
  revokeFirstTokens?: number;
}

interface Grant {
  readonly scope: string | undefined;
  readonly audience: string | undefined;
}

const notFoundPage = "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>\n";

/** Builds the fake token server and API. */
export function createFakeApi(options: FakeApiOptions = {}): Hono {
  const issued = new Map<string, Grant>();
  let counter = 0;
  const app = new Hono();

  for (const path of ["/oauth2/token", "/token", "/api/v1/idp/oauth2/token", "/oauth/token"]) {
    app.post(path, async (c) => {
      const form = new URLSearchParams(await c.req.text());
      options.onTokenRequest?.({ path, form });
      let clientId = form.get("client_id");
      let clientSecret = form.get("client_secret");
      const basic = c.req.header("authorization")?.match(/^Basic (.+)$/i)?.[1];
      if (basic) [clientId, clientSecret] = atob(basic).split(":").map((part) => decodeURIComponent(part.replace(/\+/g, " "))) as [string, string];
      if (form.get("grant_type") !== "client_credentials") return c.json({ error: "unsupported_grant_type" }, 400);
      if (clientId !== EXAMPLE_CREDENTIALS.clientId || clientSecret !== EXAMPLE_CREDENTIALS.clientSecret) {
        return c.json({ error: "invalid_client", error_description: "Client authentication failed" }, 401);
      }
      const audience = form.get("audience") ?? undefined;
      if (path === "/oauth/token" && audience === undefined) {
        return c.json({ error: "access_denied", error_description: "No audience parameter was provided, and no default audience has been configured" }, 403);
      }
      const scope = form.get("scope") ?? undefined;
      const accessToken = `example-token-${++counter}`;
      issued.set(accessToken, { scope, audience });
      return c.json({ access_token: accessToken, token_type: "Bearer", expires_in: 3600, ...(scope === undefined ? {} : { scope }) });
    });
  }

  const revoked = (token: string): boolean => Number(token.replace("example-token-", "")) <= (options.revokeFirstTokens ?? 0);
  const grantOf = (authorization: string | undefined): Grant | undefined => {
    const bearer = authorization?.match(/^Bearer (.+)$/)?.[1];
    return bearer === undefined || revoked(bearer) ? undefined : issued.get(bearer);
  };
  const invalidToken = { "www-authenticate": 'Bearer error="invalid_token"' };

  app.get("/v2/*", (c) => {
    const grant = grantOf(c.req.header("authorization"));
    if (!grant) return c.json({ error: "invalid_token" }, 401, invalidToken);
    return c.json({ ok: true, path: new URL(c.req.url).pathname, tokenRequests: counter, ...grant });
  });
  app.post("/v2/*", async (c) => {
    const grant = grantOf(c.req.header("authorization"));
    if (!grant) return c.json({ error: "invalid_token" }, 401, invalidToken);
    return c.json({ ok: true, path: new URL(c.req.url).pathname, received: await c.req.json() });
  });
  app.notFound((c) => c.html(notFoundPage, 404));
  return app;
}
