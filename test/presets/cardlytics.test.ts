// tokenkeeper/presets/cardlytics: the seed API's preset.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Hono } from "hono";
import { clock, isTokenKeeperError } from "../../mod.ts";
import { cardlytics } from "../../src/presets/cardlytics.ts";
import { json } from "../helpers/token-server.ts";

const test = suite("the Cardlytics preset");

test("the Cardlytics preset posts client_secret_post to its token path and sends the token to its API only", async () => {
  const app = new Hono();
  let tokenUrl = "";
  app.post("/api/v1/idp/oauth2/token", async (c) => {
    tokenUrl = c.req.url;
    const body = new URLSearchParams(await c.req.text());
    return json({ access_token: `tok-${body.get("client_id")}-${body.get("client_secret") === "s" ? "ok" : "bad"}`, token_type: "Bearer", expires_in: 3600 });
  });
  app.get("/v2/*", (c) => json({ auth: c.req.header("authorization") }));
  const api = cardlytics({ clientId: "id", clientSecret: "s", fetch: async (input, init) => app.fetch(new Request(input, init)), [clock]: { now: () => 0 } });
  const response = await api.fetch("/v2/some/resource");
  assert.is(tokenUrl, "https://api.cardlytics.com/api/v1/idp/oauth2/token");
  assert.equal(await response.json(), { auth: "Bearer tok-id-ok" });
  const error = await api.fetch("https://other.test/v2/x").then(() => undefined, (e: unknown) => e);
  assert.ok(isTokenKeeperError(error));
  assert.is(error.code, "ORIGIN_NOT_ALLOWED");
});

test.run();
