// The identity provider examples (examples/providers/) and the mTLS examples (examples/mtls/), for
// run-all.ts. A provider example runs as every Node example does, fake-network.ts preloaded, but
// TOKENKEEPER_FAKE_NETWORK points at a loopback bridge that serves its provider's fakes
// (test/providers/: profiles of the one fake server, each keeping the provider's documented
// contract), each request to the fake that serves the host fake-network.ts names. The mTLS
// examples run against the real-TLS servers of test/providers/mtls.ts. Every check is judged by
// judged(): the example exited cleanly, the servers saw exactly one token request and an API
// call, no request broke a rule of the contract, the output shows no secret, key, assertion or
// token; and what the check itself looks for (a header, an audience, a certificate binding).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { decodeProtectedHeader, SignJWT } from "jose";
import { Miniflare } from "miniflare";
import { Agent } from "undici";
import type { FakeServer } from "../../conformance/fake/server.ts";
import { createCertificate, pem } from "../../test/helpers/certificates.ts";
import { createAuth0Fake } from "../../test/providers/auth0.ts";
import { createCognitoFake } from "../../test/providers/cognito.ts";
import { entraId, TOKEN_EXCHANGE_AUDIENCE } from "../../test/providers/entra-id.ts";
import { githubActions, GITHUB_OIDC_ISSUER } from "../../test/providers/github-actions.ts";
import { google } from "../../test/providers/google.ts";
import { createKeycloakFake } from "../../test/providers/keycloak.ts";
import { makePki, type MtlsPki, type MtlsServers, pemThumbprint, startMtlsServers } from "../../test/providers/mtls.ts";
import { createOktaFake } from "../../test/providers/okta.ts";
import { bundleWorkerFile, ROOT } from "../../test/workerd/miniflare.ts";
import { FAKE_HOST_HEADER } from "./fake-hosts.ts";
import { containsLines, fencedBlocks } from "./readme.ts";

/** What running one example gave. */
export interface Outcome {
  ok: boolean;
  output: string;
}

/** Runs a Node example as run-all.ts runs them all (fake-network.ts preloaded), `env` added. */
export type RunNode = (file: string, env: Record<string, string>) => Promise<Outcome>;

/** A check for run-all.ts: its name contains " examples/<file>"; `expect`: what the output must show. */
export interface ProviderCheck {
  name: string;
  run: () => Promise<Outcome>;
  expect: RegExp;
}

/** What the servers of a check saw. */
interface Seen {
  tokenRequests: number;
  apiCalls: number;
  /** The rules of the provider's contract that requests broke, each with its request. */
  broken: string[];
  /** What the output must not show: credentials, keys, assertions, issued tokens. */
  secrets: string[];
}

/**
 * The verdict on an example: it passes when it exited cleanly, `seen` holds exactly one token
 * request, an API call, no broken rule and no secret in the output, and the check's own
 * `findings` are empty. What failed is appended to the output.
 */
function judged(outcome: Outcome, seen: Seen, findings: string[]): Outcome {
  const problems = [
    ...(seen.tokenRequests === 1 ? [] : [`expected one token request, the servers saw ${seen.tokenRequests}`]),
    ...(seen.apiCalls > 0 ? [] : ["the API saw no request"]),
    ...seen.broken,
    ...(seen.secrets.some((secret) => secret.length >= 8 && outcome.output.includes(secret)) ? ["the output shows a secret, a key, an assertion or a token"] : []),
    ...findings,
  ];
  return { ok: outcome.ok && problems.length === 0, output: `${outcome.output}${problems.map((p) => `${p}\n`).join("")}` };
}

/** What `fakes` saw; the secrets are `secrets` and every credential, assertion and token that crossed them. */
function seenBy(fakes: FakeServer[], secrets: string[]): Seen {
  const requests = fakes.flatMap((fake) => fake.requests);
  const sent = requests.flatMap((r) => [r.form.get("client_secret"), r.form.get("client_assertion"), r.form.get("assertion")]);
  return {
    tokenRequests: fakes.flatMap((fake) => fake.tokenRequests()).length,
    apiCalls: fakes.flatMap((fake) => fake.resourceRequests()).length,
    broken: requests.flatMap((r) => r.problems.map((p) => `${r.method} ${r.url}: ${p}`)),
    secrets: [...secrets, ...fakes.flatMap((fake) => [...fake.secrets]), ...sent.filter((v): v is string => v !== undefined)],
  };
}

/** What the mTLS servers saw; the secrets are the tokens they issued and the client's private key. */
function seenByMtls(servers: MtlsServers, pki: MtlsPki): Seen {
  return { tokenRequests: servers.tokenRequests.length, apiCalls: servers.apiCalls.length, broken: [], secrets: [...servers.issued.map((t) => t.token), keyExcerpt(pki.client.key)] };
}

/** Serves `fakes` on 127.0.0.1, each request to the fake that serves the host fake-network.ts names. */
async function serveFakes(fakes: FakeServer[]): Promise<{ origin: string; close(): Promise<void> }> {
  const hopByHop = ["host", "connection", "keep-alive", "transfer-encoding", "content-length", FAKE_HOST_HEADER];
  const handler = async (request: Request): Promise<Response> => {
    const host = request.headers.get(FAKE_HOST_HEADER);
    if (host === null) return new Response(`no ${FAKE_HOST_HEADER} header: is fake-network.ts preloaded?`, { status: 400 });
    const { pathname, search } = new URL(request.url);
    const url = `https://${host}${pathname}${search}`;
    const fake = fakes.find((f) => f.handles(url));
    if (fake === undefined) return new Response(`no fake of this check serves ${host}`, { status: 502 });
    const headers = new Headers(request.headers);
    for (const name of hopByHop) headers.delete(name);
    const body = request.method === "GET" || request.method === "HEAD" ? null : await request.arrayBuffer();
    return fake.fetch(url, { method: request.method, headers, body, redirect: "manual" });
  };
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: handler, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  return {
    origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((resolve) => {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

/** Runs `file` against `fakes` with `env`, then judges it; `findings` reads what the fakes recorded. */
async function runAgainst(node: RunNode, file: string, fakes: FakeServer[], env: Record<string, string>, findings: () => string[], secrets: string[] = []): Promise<Outcome> {
  const served = await serveFakes(fakes);
  let outcome: Outcome;
  try {
    outcome = await node(file, { ...env, TOKENKEEPER_FAKE_NETWORK: served.origin });
  } finally {
    await served.close();
  }
  return judged(outcome, seenBy(fakes, secrets), findings());
}

/** A folder for an example's credential files, removed after `body`. */
async function withFolder<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "tokenkeeper-example-"));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A stretch of a PEM key's base64, long enough that the output cannot show it by chance. */
const keyExcerpt = (key: string): string => key.replace(/-----[^-]+-----|\s/g, "").slice(64, 128);

/** An RSA key pair for RS256, and its private key as PKCS#8 PEM (as Okta and Google hand it out). */
async function rsaKey(): Promise<{ pair: CryptoKeyPair; pem: string }> {
  const pair = await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"]) as CryptoKeyPair;
  return { pair, pem: pem("PRIVATE KEY", new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey))) };
}

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT_ID = "97e0a5b7-d745-40b6-94fe-5f77d35c6e05";
const CLUSTER = "https://oidc.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/7d8f0c6e/";
const WORKLOAD = "system:serviceaccount:payments:workload-identity-sa";
const azure = { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT_ID };
const users = /users: \[ 'Adele Vance' \]/;
/** The provider fakes' API (test/providers/provider.ts) and the mTLS API answer `{ ok: true, … }`. */
const answered = /ok: true|"ok":true/;

/** One check per provider example and mTLS example, for run-all.ts. */
export function providerChecks(node: RunNode): ProviderCheck[] {
  return [
    {
      name: "node examples/providers/entra-id-secret.ts (Entra ID fake: a client secret)",
      expect: users,
      run: () => {
        const secret = `Qx8~${crypto.randomUUID()}`;
        const entra = entraId({ tenant: TENANT, clientId: CLIENT_ID, secrets: [secret] });
        return runAgainst(node, "examples/providers/entra-id-secret.ts", [entra], { ...azure, AZURE_CLIENT_SECRET: secret }, () => []);
      },
    },
    {
      name: "node examples/providers/entra-id-certificate.ts (Entra ID fake: a registered certificate, PS256 with x5t#S256)",
      expect: users,
      run: () => withFolder(async (dir) => {
        const certificate = await createCertificate("RSA", "tokenkeeper-example");
        const path = join(dir, "cert.pem");
        await writeFile(path, certificate.pem + certificate.keyPem, { mode: 0o600 });
        const entra = entraId({ tenant: TENANT, clientId: CLIENT_ID, certificates: [certificate.pem] });
        return runAgainst(node, "examples/providers/entra-id-certificate.ts", [entra], { ...azure, AZURE_CLIENT_CERTIFICATE_PATH: path }, () => {
          const header = entra.accepted[0]?.header;
          return header?.alg === "PS256" && header["x5t#S256"] === certificate.x5tS256 ? [] : [`the accepted assertion's header: ${JSON.stringify(header)}`];
        }, [keyExcerpt(certificate.keyPem)]);
      }),
    },
    {
      name: "node examples/providers/entra-id-workload-identity.ts (Entra ID fake: a federated service account token from a file)",
      expect: users,
      run: () => withFolder(async (dir) => {
        const cluster = await rsaKey();
        const now = Math.floor(Date.now() / 1000);
        const token = await new SignJWT({}).setProtectedHeader({ alg: "RS256", kid: "cluster" }).setIssuer(CLUSTER).setSubject(WORKLOAD)
          .setAudience([TOKEN_EXCHANGE_AUDIENCE]).setIssuedAt(now).setNotBefore(now).setExpirationTime(now + 3600).sign(cluster.pair.privateKey);
        const path = join(dir, "azure-identity-token");
        await writeFile(path, token);
        const entra = entraId({ tenant: TENANT, clientId: CLIENT_ID, federated: [{ issuer: CLUSTER, subject: WORKLOAD, key: cluster.pair.publicKey }] });
        return runAgainst(node, "examples/providers/entra-id-workload-identity.ts", [entra], { ...azure, AZURE_FEDERATED_TOKEN_FILE: path }, () =>
          entra.accepted[0]?.kind === "federated" ? [] : ["no federated assertion accepted"], [token]);
      }),
    },
    {
      name: "node examples/providers/entra-id-github-actions.ts (GitHub Actions OIDC and Entra ID fakes: a federated GitHub token)",
      expect: users,
      run: async () => {
        const github = await githubActions();
        const entra = entraId({ tenant: TENANT, clientId: CLIENT_ID, federated: [{ issuer: GITHUB_OIDC_ISSUER, subject: github.subject, key: github.publicKey }] });
        const env = { ...azure, ACTIONS_ID_TOKEN_REQUEST_URL: github.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.requestToken };
        return runAgainst(node, "examples/providers/entra-id-github-actions.ts", [entra, github], env, () =>
          github.tokens.length === 1 && entra.accepted[0]?.kind === "federated" ? [] : [`${github.tokens.length} OIDC tokens, accepted: ${JSON.stringify(entra.accepted)}`]);
      },
    },
    {
      name: "node examples/providers/google-service-account.ts (Google fake: the JWT bearer grant, Cloud Storage)",
      expect: /objects: \[ 'report\.csv' \]/,
      run: () => withFolder(async (dir) => {
        const key = await rsaKey();
        const keyId = "5c7b2e4f9a1d3c6b8e0f2a4c6e8a0b2d4f6a8c0e";
        const clientEmail = "reports@tokenkeeper-example.iam.gserviceaccount.com";
        const keyFile = { type: "service_account", project_id: "tokenkeeper-example", private_key_id: keyId, private_key: key.pem, client_email: clientEmail, client_id: "104218963851234567890", auth_uri: "https://accounts.google.com/o/oauth2/auth", token_uri: "https://oauth2.googleapis.com/token" };
        const path = join(dir, "key.json");
        await writeFile(path, JSON.stringify(keyFile, null, 2), { mode: 0o600 });
        const fake = google([{ clientEmail, keys: { [keyId]: key.pair.publicKey } }]);
        return runAgainst(node, "examples/providers/google-service-account.ts", [fake], { GOOGLE_APPLICATION_CREDENTIALS: path }, () =>
          fake.accepted[0]?.claims.scope === "https://www.googleapis.com/auth/devstorage.read_only" ? [] : [`accepted: ${JSON.stringify(fake.accepted)}`], [keyExcerpt(key.pem)]);
      }),
    },
    {
      name: "node examples/providers/okta.ts (Okta fake: private_key_jwt with kid, scope required)",
      expect: answered,
      run: async () => {
        const key = await rsaKey();
        const fake = createOktaFake({ client: { id: "0oa1example", publicKey: key.pair.publicKey, kid: "example-key-1" } });
        return runAgainst(node, "examples/providers/okta.ts", [fake], { OKTA_CLIENT_ID: "0oa1example", OKTA_PRIVATE_KEY: key.pem, OKTA_KEY_ID: "example-key-1" }, () => {
          const assertion = fake.tokenRequests()[0]?.form.get("client_assertion");
          const kid = assertion === undefined ? undefined : decodeProtectedHeader(assertion).kid;
          return kid === "example-key-1" ? [] : [`the assertion's kid is ${String(kid)}`];
        }, [keyExcerpt(key.pem)]);
      },
    },
    {
      name: "node examples/providers/auth0.ts (Auth0 fake: audience, client_secret_post)",
      expect: answered,
      run: () => {
        const fake = createAuth0Fake({ client: { id: "auth0-m2m-client", secret: "auth0-example-secret" } });
        return runAgainst(node, "examples/providers/auth0.ts", [fake], { AUTH0_CLIENT_ID: "auth0-m2m-client", AUTH0_CLIENT_SECRET: "auth0-example-secret" }, () => {
          const audience = fake.tokenRequests()[0]?.form.get("audience");
          return audience === "https://api.example.com" ? [] : [`the audience sent is ${audience}`];
        });
      },
    },
    {
      name: "node examples/providers/keycloak.ts (Keycloak fake: discovery of a realm's issuer)",
      expect: answered,
      run: () => {
        const fake = createKeycloakFake({ client: { id: "reports-service", secret: "keycloak-example-secret" }, apiScope: "reports:read" });
        return runAgainst(node, "examples/providers/keycloak.ts", [fake], { KEYCLOAK_CLIENT_ID: "reports-service", KEYCLOAK_CLIENT_SECRET: "keycloak-example-secret" }, () => {
          const metadata = fake.requests.filter((r) => r.kind === "metadata").map((r) => r.path);
          return metadata.join() === "/.well-known/oauth-authorization-server/realms/demo" ? [] : [`metadata was read from ${metadata.join(", ") || "nowhere"}`];
        });
      },
    },
    {
      name: "node examples/providers/cognito.ts (Cognito fake: Basic, resource-server/scope)",
      expect: answered,
      run: () => {
        const fake = createCognitoFake({ client: { id: "1example23456789", secret: "cognito-example-secret" } });
        return runAgainst(node, "examples/providers/cognito.ts", [fake], { COGNITO_CLIENT_ID: "1example23456789", COGNITO_CLIENT_SECRET: "cognito-example-secret" }, () =>
          fake.tokenRequests()[0]?.basic?.ok ? [] : ["the secret was not sent as HTTP Basic"]);
      },
    },
    { name: "node examples/mtls/node.ts (tls_client_auth, a certificate-bound token, over real TLS)", expect: answered, run: () => mtlsNode(node) },
    { name: "workerd examples/mtls/worker.ts (its mtls_certificates binding played by a Node service presenting the certificate)", expect: answered, run: mtlsWorker },
  ];
}

const REPORTS_CLIENT = { id: "reports-client", method: "tls_client_auth", subjectCn: "reports-client" } as const;

/** Whether the servers issued one token, bound to the certificate with thumbprint `thumb`. */
const boundTo = (servers: MtlsServers, thumb: string): string[] =>
  servers.issued.length === 1 && servers.issued[0]!.cnf["x5t#S256"] === thumb ? [] : ["no token bound to the client certificate was issued"];

/** examples/mtls/node.ts against the mTLS servers, with a client certificate of their CA. */
async function mtlsNode(node: RunNode): Promise<Outcome> {
  const pki = makePki();
  if (!pki) return { ok: false, output: "openssl is needed to make the test certificates\n" };
  const servers = await startMtlsServers(pki, REPORTS_CLIENT);
  try {
    return await withFolder(async (dir) => {
      for (const [name, text] of [["client.crt", pki.client.cert], ["client.key", pki.client.key], ["ca.crt", pki.ca]] as const) await writeFile(join(dir, name), text);
      const outcome = await node("examples/mtls/node.ts", {
        MTLS_TOKEN_ENDPOINT: servers.tokenEndpoint,
        API_BASE_URL: servers.apiBaseUrl,
        CLIENT_ID: REPORTS_CLIENT.id,
        CLIENT_CERT_FILE: join(dir, "client.crt"),
        CLIENT_KEY_FILE: join(dir, "client.key"),
        CA_FILE: join(dir, "ca.crt"),
      });
      const thumb = pemThumbprint(pki.client.cert);
      return judged(outcome, seenByMtls(servers, pki), [
        ...boundTo(servers, thumb),
        ...(servers.apiCalls.some((c) => c.status !== 200 || c.presented !== thumb) ? ["the API was not called over the client certificate the token is bound to"] : []),
      ]);
    });
  } finally {
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
  const toml = await readFile(`${ROOT}examples/mtls/wrangler.toml`, "utf8");
  const binding = /^\[\[mtls_certificates\]\]\s*\nbinding\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  const compatibilityDate = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  if (!binding || !compatibilityDate) return { ok: false, output: "examples/mtls/wrangler.toml binds no mtls_certificates\n" };
  // docs/mtls.md quotes the binding; the quote must be what the tested wrangler.toml says.
  const quoted = fencedBlocks(await readFile(`${ROOT}docs/mtls.md`, "utf8")).filter((b) => b.lang === "toml");
  if (quoted.length === 0 || quoted.some((b) => !containsLines(toml, b.text))) return { ok: false, output: "docs/mtls.md's toml block is not in examples/mtls/wrangler.toml, verbatim\n" };
  const servers = await startMtlsServers(pki, REPORTS_CLIENT);
  const agent = new Agent({ connect: { cert: pki.client.cert, key: pki.client.key, ca: pki.ca } });
  let through = 0;
  const mf = new Miniflare({
    modules: true,
    script: await bundleWorkerFile("examples/mtls/worker.ts"),
    compatibilityDate,
    bindings: { TOKEN_ENDPOINT: servers.tokenEndpoint, API_BASE_URL: servers.apiBaseUrl, CLIENT_ID: REPORTS_CLIENT.id },
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
    return judged({ ok: true, output }, seenByMtls(servers, pki), [
      ...(res.status === 200 ? [] : ["the worker did not get the API's answer"]),
      ...boundTo(servers, thumb),
      ...(servers.apiCalls.some((c) => c.presented !== thumb) ? ["an API call came over another certificate"] : []),
      ...(through >= 2 ? [] : [`only ${through} request(s) went through env.${binding}.fetch`]),
    ]);
  } catch (error) {
    return { ok: false, output: `${output}${String((error as Error)?.message ?? error)}\n` };
  } finally {
    await mf.dispose().catch(() => {});
    await agent.close();
    await servers.close();
  }
}
