// @node-oauth/oauth2-server behind node:http with a minimal in-memory model, glued the way
// express-oauth-server glues it: form body parsed into an object, the library's Request and
// Response, errors written as `{ error, error_description }`. The protected resources validate
// tokens with the library's own authenticate().
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import OAuth2Server from "@node-oauth/oauth2-server";
import type { Fixture } from "../fixture.ts";
import type { InteropServer } from "../server.ts";
import { listenOnLoopback, readBody, sendJson } from "./node-http.ts";

const { version } = createRequire(import.meta.url)("@node-oauth/oauth2-server/package.json") as { version: string };

/** The running server, and the client ids its model was asked for (as the library passed them). */
export interface OAuth2ServerUnderTest extends InteropServer {
  readonly clientIdsSeen: string[];
}

function model(fixture: Fixture, clientIdsSeen: string[]): OAuth2Server.ClientCredentialsModel {
  // The JWT clients too, by id and secret, so a refusal of their assertions is the server's doing.
  const registered = new Map<string, { secret: string | undefined; scopes: string[] }>();
  for (const client of [fixture.post, fixture.basic, fixture.basicSpecial, fixture.secretJwt]) {
    registered.set(client.clientId, { secret: client.secret, scopes: client === fixture.post ? [fixture.scope] : [] });
  }
  registered.set(fixture.keyJwt.clientId, { secret: undefined, scopes: [] });
  const tokens = new Map<string, OAuth2Server.Token>();
  return {
    async getClient(clientId, clientSecret) {
      clientIdsSeen.push(clientId);
      const client = registered.get(clientId);
      if (client?.secret === undefined || client.secret !== clientSecret) return false;
      return { id: clientId, grants: ["client_credentials"], scopes: client.scopes, accessTokenLifetime: fixture.tokenLifetimeSeconds };
    },
    async getUserFromClient(client) {
      return { id: `service:${client.id}` };
    },
    async validateScope(_user, client, scope) {
      if (scope === undefined) return [];
      return scope.every((s) => (client["scopes"] as string[]).includes(s)) ? scope : false;
    },
    async saveToken(token, client, user) {
      const saved = { ...token, client, user };
      tokens.set(token.accessToken, saved);
      return saved;
    },
    async getAccessToken(accessToken) {
      return tokens.get(accessToken) ?? false;
    },
    async verifyScope(token, scope) {
      return scope.every((s) => token.scope?.includes(s) === true);
    },
  };
}

async function handle(oauth: OAuth2Server, fixture: Fixture, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const request = new OAuth2Server.Request({
    method: req.method ?? "GET",
    headers: req.headers as Record<string, string>,
    query: Object.fromEntries(url.searchParams),
    body: Object.fromEntries(new URLSearchParams(await readBody(req))),
  });
  const response = new OAuth2Server.Response({ headers: {} });
  try {
    if (req.method === "POST" && url.pathname === "/token") {
      await oauth.token(request, response);
      return sendJson(res, response.status ?? 200, response.body, response.headers);
    }
    if (req.method === "GET" && (url.pathname === "/resource" || url.pathname === "/scoped")) {
      const token = await oauth.authenticate(request, response, url.pathname === "/scoped" ? { scope: [fixture.scope] } : {});
      return sendJson(res, 200, { client_id: token.client.id, scope: token.scope?.join(" ") });
    }
    sendJson(res, 404, { error: "not_found" });
  } catch (error) {
    if (!(error instanceof OAuth2Server.OAuthError)) throw error;
    const { code, name, message } = error as OAuth2Server.OAuthError & { code: number };
    sendJson(res, code, { error: name, error_description: message }, response.headers);
  }
}

/**
 * Starts @node-oauth/oauth2-server on http://127.0.0.1:<free port> with the fixture's clients (it
 * has no JWT client authentication, so those clients can never authenticate).
 *
 * @param fixture The clients to register.
 * @returns The running server.
 */
export async function startOAuth2Server(fixture: Fixture): Promise<OAuth2ServerUnderTest> {
  const clientIdsSeen: string[] = [];
  const oauth = new OAuth2Server({ model: model(fixture, clientIdsSeen) });
  const server = createServer((req, res) => {
    handle(oauth, fixture, req, res).catch(() => sendJson(res, 500, { error: "server_error" }));
  });
  const listening = await listenOnLoopback(server);
  const origin = `http://127.0.0.1:${listening.port}`;
  return {
    name: `@node-oauth/oauth2-server ${version}`,
    where: { tokenEndpoint: `${origin}/token` },
    tokenEndpoint: `${origin}/token`,
    origin,
    fetch: (input, init) => fetch(input, init),
    insecure: true,
    stop: listening.close,
    clientIdsSeen,
  };
}
