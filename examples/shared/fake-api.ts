// The fake token server and API the examples run against in CI: a Hono app, runtime-neutral.
// Token endpoints: POST /token and POST /api/v1/idp/oauth2/token (the Cardlytics path), both
// client_secret_post or client_secret_basic with the example credentials. API: GET /v2/*, which
// answers only to a token this server issued.
import { Hono } from "hono";

/** The credentials the fake server accepts. */
export const EXAMPLE_CREDENTIALS = { clientId: "example-client", clientSecret: "example-secret" } as const;

/** Builds the fake token server and API. */
export function createFakeApi(): Hono {
  const issued = new Set<string>();
  let counter = 0;
  const app = new Hono();

  const token = async (c: { req: { header(name: string): string | undefined; text(): Promise<string> }; json: (body: unknown, status?: 200 | 400 | 401) => Response }): Promise<Response> => {
    const form = new URLSearchParams(await c.req.text());
    let clientId = form.get("client_id");
    let clientSecret = form.get("client_secret");
    const basic = c.req.header("authorization")?.match(/^Basic (.+)$/i)?.[1];
    if (basic) [clientId, clientSecret] = atob(basic).split(":").map((part) => decodeURIComponent(part.replace(/\+/g, " "))) as [string, string];
    if (form.get("grant_type") !== "client_credentials") return c.json({ error: "unsupported_grant_type" }, 400);
    if (clientId !== EXAMPLE_CREDENTIALS.clientId || clientSecret !== EXAMPLE_CREDENTIALS.clientSecret) return c.json({ error: "invalid_client" }, 401);
    const accessToken = `example-token-${++counter}`;
    issued.add(accessToken);
    return c.json({ access_token: accessToken, token_type: "Bearer", expires_in: 3600 });
  };
  app.post("/token", (c) => token(c));
  app.post("/api/v1/idp/oauth2/token", (c) => token(c));

  app.get("/v2/*", (c) => {
    const bearer = c.req.header("authorization")?.match(/^Bearer (.+)$/)?.[1];
    if (!bearer || !issued.has(bearer)) {
      return c.json({ error: "invalid_token" }, 401, { "www-authenticate": 'Bearer error="invalid_token"' });
    }
    return c.json({ ok: true, path: new URL(c.req.url).pathname, tokenRequests: counter });
  });
  app.post("/v2/*", async (c) => {
    const bearer = c.req.header("authorization")?.match(/^Bearer (.+)$/)?.[1];
    if (!bearer || !issued.has(bearer)) return c.json({ error: "invalid_token" }, 401);
    return c.json({ ok: true, path: new URL(c.req.url).pathname, received: await c.req.json() });
  });
  return app;
}
