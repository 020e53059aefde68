// Node-only, for examples/shared/run-all.ts: runs each provider example (examples/providers/*.ts)
// against its provider's fake, served in the runner's process behind a loopback bridge
// (network.ts, preloaded, sends the example's provider and API hosts there), and the mTLS example
// (examples/mtls/node.ts) against the mTLS servers of mtls.ts. Each passes when the example
// printed the API's answer, the fake saw what the provider's contract asks for, and the output
// shows no secret, key or token.
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { decodeProtectedHeader } from "jose";
import { Miniflare } from "miniflare";
import { Agent } from "undici";
import type { FakeServer } from "../../conformance/fake/server.ts";
import { createAuth0Fake } from "./auth0.ts";
import { createCognitoFake } from "./cognito.ts";
import { createKeycloakFake } from "./keycloak.ts";
import { makePki, pemThumbprint, startMtlsServers } from "./mtls.ts";
import { createOktaFake } from "./okta.ts";
import { FAKE_ORIGIN_HEADER } from "./provider.ts";
import { bundleWorkerFile, ROOT } from "../workerd/miniflare.ts";
import { containsLines, fencedBlocks } from "../../examples/shared/readme.ts";

export interface Outcome {
  ok: boolean;
  output: string;
}

/** Runs a Node example with tsx, `preload` imported first, `env` added to the environment. */
export type RunNode = (file: string, env: Record<string, string>, preload?: string) => Promise<Outcome>;

/** The preload that routes the example's provider and API hosts to the bridge. */
const NETWORK = "./test/providers/network.ts";

/** Serves `fake` on 127.0.0.1; a request's own origin comes in {@link FAKE_ORIGIN_HEADER}. */
async function serveBridge(fake: FakeServer): Promise<{ url: string; close(): Promise<void> }> {
  const hopByHop = ["host", "connection", "keep-alive", "transfer-encoding", "content-length", FAKE_ORIGIN_HEADER];
  const handler = async (request: Request): Promise<Response> => {
    const origin = request.headers.get(FAKE_ORIGIN_HEADER);
    if (origin === null) return new Response("no origin", { status: 400 });
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    for (const name of hopByHop) headers.delete(name);
    const body = request.method === "GET" || request.method === "HEAD" ? null : await request.arrayBuffer();
    return fake.app.fetch(new Request(`${origin}${url.pathname}${url.search}`, { method: request.method, headers, body }));
  };
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: handler, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

/** The example's outcome, failed with `problems` (none: as it was), a summary appended. */
function judged(outcome: Outcome, problems: string[], summary: string): Outcome {
  const output = `${outcome.output}${summary}\n${problems.map((p) => `${p}\n`).join("")}`;
  return { ok: outcome.ok && problems.length === 0, output };
}

/** What every provider example must leave: one token request, answered API calls, nothing leaked. */
function common(fake: FakeServer, output: string, extraSecrets: readonly string[]): string[] {
  const problems: string[] = [];
  const tokenRequests = fake.tokenRequests();
  if (tokenRequests.length !== 1) problems.push(`expected one token request, the fake saw ${tokenRequests.length}`);
  if (fake.resourceRequests().length === 0) problems.push("the API saw no request");
  for (const r of fake.requests) if (r.problems.length) problems.push(`${r.method} ${r.path}: ${r.problems.join("; ")}`);
  const leaked = [...fake.secrets, ...extraSecrets].filter((s) => s.length >= 8 && output.includes(s));
  if (leaked.length) problems.push(`the output shows ${leaked.length} secret(s), key(s) or token(s)`);
  return problems;
}

async function withBridge(fake: FakeServer, hosts: string[], run: (env: Record<string, string>) => Promise<Outcome>): Promise<Outcome> {
  const bridge = await serveBridge(fake);
  try {
    return await run({ TOKENKEEPER_PROVIDER_NETWORK: bridge.url, TOKENKEEPER_PROVIDER_HOSTS: [...hosts, "api.example.com"].join(",") });
  } finally {
    await bridge.close();
  }
}

async function okta(runNode: RunNode): Promise<Outcome> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const verifyKey = await crypto.subtle.importKey("spki", publicKey.export({ type: "spki", format: "der" }), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, ["verify"]);
  const fake = createOktaFake({ client: { id: "0oa1example", publicKey: verifyKey, kid: "example-key-1" } });
  return withBridge(fake, ["your-org.okta.com"], async (env) => {
    const outcome = await runNode("examples/providers/okta.ts", { ...env, OKTA_CLIENT_ID: "0oa1example", OKTA_PRIVATE_KEY: pem, OKTA_KEY_ID: "example-key-1" }, NETWORK);
    const problems = common(fake, outcome.output, [pem.replace(/-----[A-Z ]+-----|\s/g, "").slice(40, 120)]);
    const form = fake.tokenRequests()[0]?.form;
    const kid = form?.get("client_assertion") ? decodeProtectedHeader(form.get("client_assertion")!).kid : undefined;
    if (kid !== "example-key-1") problems.push(`the assertion's kid is ${String(kid)}`);
    return judged(outcome, problems, `okta: ${fake.tokenRequests().length} token request(s), private_key_jwt with kid ${String(kid)}, scope ${form?.get("scope")}`);
  });
}

async function auth0(runNode: RunNode): Promise<Outcome> {
  const fake = createAuth0Fake({ client: { id: "auth0-m2m-client", secret: "auth0-example-secret" } });
  return withBridge(fake, ["your-tenant.auth0.com"], async (env) => {
    const outcome = await runNode("examples/providers/auth0.ts", { ...env, AUTH0_CLIENT_ID: "auth0-m2m-client", AUTH0_CLIENT_SECRET: "auth0-example-secret" }, NETWORK);
    const problems = common(fake, outcome.output, []);
    const form = fake.tokenRequests()[0]?.form;
    if (form?.get("audience") !== "https://api.example.com") problems.push(`the audience sent is ${form?.get("audience")}`);
    return judged(outcome, problems, `auth0: ${fake.tokenRequests().length} token request(s), audience ${form?.get("audience")}, client_secret_post`);
  });
}

async function keycloak(runNode: RunNode): Promise<Outcome> {
  const fake = createKeycloakFake({ client: { id: "reports-service", secret: "keycloak-example-secret" }, apiScope: "reports:read" });
  return withBridge(fake, ["keycloak.example.com"], async (env) => {
    const outcome = await runNode("examples/providers/keycloak.ts", { ...env, KEYCLOAK_CLIENT_ID: "reports-service", KEYCLOAK_CLIENT_SECRET: "keycloak-example-secret" }, NETWORK);
    const problems = common(fake, outcome.output, []);
    const metadata = fake.requests.filter((r) => r.kind === "metadata").map((r) => r.path);
    if (metadata.join() !== "/.well-known/oauth-authorization-server/realms/demo") problems.push(`metadata was read from ${metadata.join(", ") || "nowhere"}`);
    return judged(outcome, problems, `keycloak: metadata from ${metadata.join(", ")}, token from ${fake.tokenRequests()[0]?.path}`);
  });
}

async function cognito(runNode: RunNode): Promise<Outcome> {
  const fake = createCognitoFake({ client: { id: "1example23456789", secret: "cognito-example-secret" } });
  return withBridge(fake, ["your-domain.auth.us-east-1.amazoncognito.com"], async (env) => {
    const outcome = await runNode("examples/providers/cognito.ts", { ...env, COGNITO_CLIENT_ID: "1example23456789", COGNITO_CLIENT_SECRET: "cognito-example-secret" }, NETWORK);
    const problems = common(fake, outcome.output, []);
    const request = fake.tokenRequests()[0];
    if (!request?.basic?.ok) problems.push("the secret was not sent as HTTP Basic");
    return judged(outcome, problems, `cognito: ${fake.tokenRequests().length} token request(s), Basic, scope ${request?.form.get("scope")}`);
  });
}

/** examples/mtls/node.ts against the mTLS servers, with a client certificate of their CA. */
async function mtls(runNode: RunNode): Promise<Outcome> {
  const pki = makePki();
  if (!pki) return { ok: false, output: "openssl is needed to make the test certificates\n" };
  const servers = await startMtlsServers(pki, { id: "reports-client", method: "tls_client_auth", subjectCn: "reports-client" });
  const dir = mkdtempSync(join(tmpdir(), "tokenkeeper-mtls-example-"));
  try {
    for (const [name, text] of [["client.crt", pki.client.cert], ["client.key", pki.client.key], ["ca.crt", pki.ca]] as const) writeFileSync(join(dir, name), text);
    const outcome = await runNode("examples/mtls/node.ts", {
      MTLS_TOKEN_ENDPOINT: servers.tokenEndpoint,
      API_BASE_URL: servers.apiBaseUrl,
      CLIENT_ID: "reports-client",
      CLIENT_CERT_FILE: join(dir, "client.crt"),
      CLIENT_KEY_FILE: join(dir, "client.key"),
      CA_FILE: join(dir, "ca.crt"),
    });
    const thumb = pemThumbprint(pki.client.cert);
    const problems: string[] = [];
    if (servers.issued.length !== 1 || servers.issued[0]!.cnf["x5t#S256"] !== thumb) problems.push("no token bound to the client certificate was issued");
    if (servers.apiCalls.length === 0 || servers.apiCalls.some((c) => c.status !== 200 || c.presented !== thumb)) problems.push("the API was not called over the client certificate the token is bound to");
    const leaked = [...servers.issued.map((t) => t.token), pki.client.key.split("\n")[1]!].filter((s) => outcome.output.includes(s));
    if (leaked.length) problems.push("the output shows a token or the private key");
    return judged(outcome, problems, `mtls: ${servers.issued.length} token(s) bound to x5t#S256 ${thumb.slice(0, 8)}…, API calls ${servers.apiCalls.map((c) => c.status).join(",")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await servers.close();
  }
}

/**
 * examples/mtls/worker.ts in workerd, bound as its wrangler.toml says. Miniflare cannot present a
 * client certificate, so the mtls_certificates binding is played by a service binding to Node,
 * whose fetch presents the certificate as the real binding does: the check proves that the worker
 * sends the token request and the API calls through the binding, and that the token the
 * certificate got is accepted over the same certificate.
 */
async function mtlsWorker(): Promise<Outcome> {
  const pki = makePki();
  if (!pki) return { ok: false, output: "openssl is needed to make the test certificates\n" };
  const toml = readFileSync(`${ROOT}examples/mtls/wrangler.toml`, "utf8");
  const binding = /^\[\[mtls_certificates\]\]\s*\nbinding\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  const compatibilityDate = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  if (!binding || !compatibilityDate) return { ok: false, output: "examples/mtls/wrangler.toml binds no mtls_certificates\n" };
  // docs/mtls.md quotes the binding; the quote must be what the tested wrangler.toml says.
  const quoted = fencedBlocks(readFileSync(`${ROOT}docs/mtls.md`, "utf8")).filter((b) => b.lang === "toml");
  if (quoted.length === 0 || quoted.some((b) => !containsLines(toml, b.text))) return { ok: false, output: "docs/mtls.md's toml block is not in examples/mtls/wrangler.toml, verbatim\n" };
  const servers = await startMtlsServers(pki, { id: "reports-client", method: "tls_client_auth", subjectCn: "reports-client" });
  const agent = new Agent({ connect: { cert: pki.client.cert, key: pki.client.key, ca: pki.ca } });
  let through = 0;
  const mf = new Miniflare({
    modules: true,
    script: await bundleWorkerFile("examples/mtls/worker.ts"),
    compatibilityDate,
    bindings: { TOKEN_ENDPOINT: servers.tokenEndpoint, API_BASE_URL: servers.apiBaseUrl, CLIENT_ID: "reports-client" },
    serviceBindings: {
      [binding]: async (request: { url: string; method: string; headers: Iterable<[string, string]>; arrayBuffer(): Promise<ArrayBuffer> }) => {
        through++;
        const body = request.method === "GET" || request.method === "HEAD" ? null : await request.arrayBuffer();
        return fetch(request.url, { method: request.method, headers: [...request.headers], body, redirect: "manual", dispatcher: agent } as RequestInit);
      },
    } as never,
  });
  let output = "";
  try {
    const res = (await mf.dispatchFetch("http://worker.example/reports")) as unknown as Response;
    output += `/reports ${res.status} ${await res.text()}\n`;
    const thumb = pemThumbprint(pki.client.cert);
    const problems: string[] = [];
    if (res.status !== 200) problems.push("the worker did not get the API's answer");
    if (servers.issued.length !== 1 || servers.issued[0]!.cnf["x5t#S256"] !== thumb) problems.push("no token bound to the client certificate was issued");
    if (servers.apiCalls.some((c) => c.presented !== thumb)) problems.push("an API call came over another certificate");
    if (through < 2) problems.push(`only ${through} request(s) went through env.${binding}.fetch`);
    return judged({ ok: true, output }, problems, `mtls worker: ${through} request(s) through env.${binding}.fetch, API calls ${servers.apiCalls.map((c) => c.status).join(",")}`);
  } catch (error) {
    return { ok: false, output: `${output}${String((error as Error)?.message ?? error)}\n` };
  } finally {
    await mf.dispose().catch(() => {});
    await agent.close();
    await servers.close();
  }
}

/** The checks run-all.ts adds: [name, run]; each name contains " examples/<file>". */
export const providerChecks: { name: string; run: (runNode: RunNode) => Promise<Outcome> }[] = [
  { name: "node examples/providers/okta.ts (Okta fake: private_key_jwt with kid, scope required)", run: okta },
  { name: "node examples/providers/auth0.ts (Auth0 fake: audience, client_secret_post)", run: auth0 },
  { name: "node examples/providers/keycloak.ts (Keycloak fake: discovery of a realm's issuer)", run: keycloak },
  { name: "node examples/providers/cognito.ts (Cognito fake: Basic, resource-server/scope)", run: cognito },
  { name: "node examples/mtls/node.ts (tls_client_auth, a certificate-bound token, over real TLS)", run: mtls },
  { name: "workerd examples/mtls/worker.ts (its mtls_certificates binding played by a Node service presenting the certificate)", run: mtlsWorker },
];
