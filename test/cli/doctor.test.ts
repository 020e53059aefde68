// `tokenkeeper doctor`, end to end: the installed bin under plain Node against healthy and broken
// fake authorization servers over HTTPS with a throwaway CA.
import { createHash } from "node:crypto";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { oauthError, type Script } from "../../conformance/fake/server.ts";
import { NO_STORE } from "../../conformance/fake/reply.ts";
import { CLIENT_ID, type RunningServer, SECRET, startServer, testCa } from "./authorization-server.ts";
import { installedProject } from "./installed.ts";
import { assertNoLeak } from "./leaks.ts";
import type { Ran } from "../package/pack.ts";

const test = suite("tokenkeeper doctor");

function env(server: RunningServer, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { NODE_EXTRA_CA_CERTS: testCa().caFile, TOKENKEEPER_TOKEN_ENDPOINT: server.tokenEndpoint, TOKENKEEPER_CLIENT_ID: CLIENT_ID, TOKENKEEPER_CLIENT_SECRET: SECRET, ...extra };
}

/** Runs doctor against a server made from `script`, then stops the server. */
async function doctor(script: Omit<Script, "issuer">, options: { args?: string[]; env?: (server: RunningServer) => Record<string, string | undefined>; certificate?: "trusted" | "expired" | "none" } = {}): Promise<{ ran: Ran; server: RunningServer }> {
  const server = await startServer(script, options.certificate);
  try {
    const project = await installedProject();
    const ran = await project.tokenkeeper(["doctor", ...(options.args ?? [])], { env: options.env?.(server) ?? env(server) });
    assertNoLeak(ran, { secrets: [SECRET], tokens: server.fake.issued.map((t) => t.value), clientId: CLIENT_ID });
    return { ran, server };
  } finally {
    await server.close();
  }
}

test("plain http on loopback needs no flag and is no warning: nothing crosses a network", async () => {
  const { ran, server } = await doctor({}, { certificate: "none" });
  assert.ok(server.url.startsWith("http://localhost:"), server.url);
  assert.is(ran.code, 0, ran.stdout + ran.stderr);
  assert.not.match(ran.stdout, /^\s+(WARN|FAIL)/m);
  assert.match(ran.stdout, /plain http to localhost:\d+: loopback, nothing crosses a network/);
});

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** A JWT access token (unsigned for the purpose: the doctor only compares claims). */
function jwtReply(claims: (now: number) => Record<string, unknown>, expiresIn: number, fields: Record<string, unknown> = {}): NonNullable<Script["token"]> {
  return (_req, fake) => {
    const now = Math.floor(Date.now() / 1000);
    const value = `${b64url({ alg: "RS256", typ: "at+jwt", kid: "k1" })}.${b64url({ iss: fake.issuer, sub: CLIENT_ID, ...claims(now) })}.c2lnbmF0dXJl`;
    const token = fake.issue({ value, expiresIn });
    return { json: { access_token: token.value, token_type: "Bearer", expires_in: expiresIn, ...fields }, headers: { ...NO_STORE } };
  };
}

test("a healthy endpoint: every step ok, exit 0, the token shown only as a short hash", async () => {
  const { ran, server } = await doctor({}, { args: ["--scope", "read write"] });
  assert.is(ran.code, 0, ran.stdout);
  assert.is(ran.stderr, "");
  for (const section of ["configuration", "dns", "tls", "discovery", "token request", "response", "clock", "access token"]) assert.match(ran.stdout, new RegExp(`^${section}$`, "m"));
  assert.not.match(ran.stdout, /^\s+(WARN|FAIL)/m);
  assert.match(ran.stdout, `client id ${CLIENT_ID} (TOKENKEEPER_CLIENT_ID), client_secret_post`);
  assert.match(ran.stdout, "client authentication client_secret_post is advertised");
  assert.match(ran.stdout, "scope granted as asked: read write");
  assert.match(ran.stdout, "expires_in 300 (5 min)");
  const token = server.fake.issued.at(-1)!.value;
  assert.match(ran.stdout, `sha256 ${createHash("sha256").update(token).digest("hex").slice(0, 12)}`);
  assert.match(ran.stdout, /result: healthy/);
});

test("a JWT access token discovered through the issuer: exp, iat and aud agree with expires_in and the resource, exit 0", async () => {
  const { ran } = await doctor(
    { token: jwtReply((now) => ({ iat: now, exp: now + 600, aud: "https://api.test/" }), 600) },
    { args: ["--resource", "https://api.test/"], env: (server) => env(server, { TOKENKEEPER_TOKEN_ENDPOINT: undefined, TOKENKEEPER_ISSUER: server.url }) },
  );
  assert.is(ran.code, 0, ran.stdout);
  assert.match(ran.stdout, /issuer "https:\/\/localhost:\d+" matches exactly/);
  assert.match(ran.stdout, "a JWT (alg RS256, typ at+jwt)");
  assert.match(ran.stdout, "600 s after issue (exp − iat), as expires_in says");
});

test("a wrong secret: the OAuth error and advice, exit 3, the secret never printed", async () => {
  const wrong = "WRONG_SENTINEL_secret+/%&=ü";
  const { ran } = await doctor({ token: (req) => oauthError(401, "invalid_client", `bad secret ${req.form.get("client_secret")}`) }, {
    env: (server) => env(server, { TOKENKEEPER_CLIENT_SECRET: wrong }),
  });
  assert.is(ran.code, 3, ran.stdout);
  assert.match(ran.stdout, /FAIL\s+OAUTH_ERROR: .*invalid_client/);
  assert.match(ran.stdout, "check the client id, the secret");
  assert.match(ran.stdout, "result: no token was obtained");
  assertNoLeak(ran, { secrets: [wrong], clientId: CLIENT_ID });
});

test("an endpoint answering an HTML 404 page: says so, exit 4", async () => {
  const { ran } = await doctor({ token: () => ({ status: 404, headers: { "content-type": "text/html; charset=utf-8" }, body: "<!doctype html><title>Not Found</title>" }) });
  assert.is(ran.code, 4, ran.stdout);
  assert.match(ran.stdout, /FAIL\s+HTTP_ERROR/);
  assert.match(ran.stdout, "an HTML page answered, not a token endpoint");
});

test("a server that advertises only client_secret_basic and refuses post: the method is named, exit 3", async () => {
  const { ran } = await doctor({ metadata: { token_endpoint_auth_methods_supported: ["client_secret_basic"] }, client: { id: CLIENT_ID, secret: SECRET, methods: ["client_secret_basic"] } });
  assert.is(ran.code, 3, ran.stdout);
  assert.match(ran.stdout, /WARN\s+client authentication client_secret_post is not advertised.*try --auth client_secret_basic/);
});

test("a token obtained with problems: a JWT that expires before expires_in says, scope not granted, exit 1", async () => {
  const { ran } = await doctor({ token: jwtReply((now) => ({ iat: now, exp: now + 300 }), 3600, { scope: "read" }) }, { args: ["--scope", "read write"] });
  assert.is(ran.code, 1, ran.stdout);
  assert.match(ran.stdout, /WARN\s+scope asked for but not granted: write/);
  assert.match(ran.stdout, /WARN\s+expires_in says 3600 s, but the JWT expires 300 s after issue/);
  assert.match(ran.stdout, /result: a token was obtained, but \d problem/);
});

test("a server clock 10 minutes behind (its Date header): the skew is reported, exit 1", async () => {
  const { ran } = await doctor({
    token: (_req, fake) => {
      const token = fake.issue();
      return { json: { access_token: token.value, token_type: "Bearer", expires_in: 300 }, headers: { ...NO_STORE, date: new Date(Date.now() - 600_000).toUTCString() } };
    },
  });
  assert.is(ran.code, 1, ran.stdout);
  assert.match(ran.stdout, /WARN\s+this machine's clock is 60\d s ahead of the server's/);
});

test("an expired certificate, and a CA this machine does not trust: the TLS step fails, exit 9, nothing sent", async () => {
  const expired = await doctor({}, { certificate: "expired" });
  assert.is(expired.ran.code, 9, expired.ran.stdout);
  assert.match(expired.ran.stdout, /FAIL\s+the certificate is not trusted: CERT_HAS_EXPIRED/);
  assert.is(expired.server.fake.tokenRequests().length, 0);
  const untrusted = await doctor({}, { env: (server) => env(server, { NODE_EXTRA_CA_CERTS: undefined }) });
  assert.is(untrusted.ran.code, 9, untrusted.ran.stdout);
  assert.match(untrusted.ran.stdout, "NODE_EXTRA_CA_CERTS");
});

test("missing configuration: the variable is named, exit 2; --help exits 0", async () => {
  const { ran } = await doctor({}, { env: (server) => env(server, { TOKENKEEPER_CLIENT_SECRET: undefined }) });
  assert.is(ran.code, 2, ran.stdout);
  assert.match(ran.stdout, /FAIL\s+client_secret_post needs the client secret: set TOKENKEEPER_CLIENT_SECRET/);
  const project = await installedProject();
  const help = await project.tokenkeeper(["doctor", "--help"]);
  assert.is(help.code, 0);
  assert.match(help.stdout, "usage: tokenkeeper doctor");
});

test.run();
