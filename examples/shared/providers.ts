// The provider examples (examples/providers/) against provider profiles of the one fake server
// (test/providers/), served on loopback: the hosts an example calls (login.microsoftonline.com,
// oauth2.googleapis.com, …) reach them through fake-network.ts, which names the host asked for in
// x-tokenkeeper-fake-host. Each check starts its fakes and writes its credential files, runs the
// example with the provider's environment variables, and passes when the example printed what it
// should, the fakes accepted the credential as the provider would (no rule broken), and the output
// shows no secret, key, assertion or access token.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { SignJWT } from "jose";
import { type FakeServer, route } from "../../conformance/fake/server.ts";
import { createCertificate, pem } from "../../test/helpers/certificates.ts";
import { entraId, TOKEN_EXCHANGE_AUDIENCE } from "../../test/providers/entra-id.ts";
import { githubActions, GITHUB_OIDC_ISSUER } from "../../test/providers/github-actions.ts";
import { google } from "../../test/providers/google.ts";

/** What running one example gave. */
export interface Outcome {
  ok: boolean;
  output: string;
}

/** Runs a Node example with fake-network.ts loaded and `env` added. */
export type RunNode = (file: string, env: Record<string, string>) => Promise<Outcome>;

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT_ID = "97e0a5b7-d745-40b6-94fe-5f77d35c6e05";
const CLUSTER = "https://oidc.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/7d8f0c6e/";
const WORKLOAD = "system:serviceaccount:payments:workload-identity-sa";

/** Serves `fakes` on a loopback port, each request sent to the host fake-network.ts names. */
async function serveFakes(fakes: FakeServer[]): Promise<{ origin: string; close(): void }> {
  const network = route(...fakes);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: async (request: Request) => {
        const url = new URL(request.url);
        const host = request.headers.get("x-tokenkeeper-fake-host");
        const headers = new Headers(request.headers);
        headers.delete("x-tokenkeeper-fake-host");
        headers.delete("host");
        const body = request.method === "GET" || request.method === "HEAD" ? null : await request.arrayBuffer();
        return network(host ? `https://${host}${url.pathname}${url.search}` : request.url, { method: request.method, headers, body, redirect: "manual" });
      },
    }, () => resolve(s));
  });
  return {
    origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      server.close();
    },
  };
}

/**
 * Runs `file` against `fakes` with `env`, then judges it: `verdict` returns what the fakes saw
 * wrong (nothing when the provider would have accepted it), and no value of `secrets`, nor any
 * token or assertion the fakes saw, may be in the output.
 */
async function runAgainst(run: RunNode, file: string, fakes: FakeServer[], env: Record<string, string>, verdict: () => string[], secrets: string[] = []): Promise<Outcome> {
  const served = await serveFakes(fakes);
  let outcome: Outcome;
  try {
    outcome = await run(file, { TOKENKEEPER_FAKE_NETWORK: served.origin, ...env });
  } finally {
    served.close();
  }
  const seen = fakes.flatMap((fake) => [
    ...fake.issued.map((token) => token.value),
    ...fake.requests.flatMap((r) => [r.form.get("client_secret"), r.form.get("client_assertion"), r.form.get("assertion")]).filter((v): v is string => v !== undefined),
  ]);
  const problems = [
    ...fakes.flatMap((fake) => fake.requests.flatMap((r) => r.problems.map((p) => `${r.method} ${r.url}: ${p}`))),
    ...verdict(),
    ...[...secrets, ...seen].filter((secret) => secret.length >= 8 && outcome.output.includes(secret)).map(() => "the output shows a secret, a key, an assertion or a token"),
  ];
  return { ok: outcome.ok && problems.length === 0, output: problems.length ? `${outcome.output}${problems.join("\n")}\n` : outcome.output };
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

const users = /users: \[ 'Adele Vance' \]/;

/** One check per provider example, for examples/shared/run-all.ts. */
export function providerChecks(run: RunNode): { name: string; run: () => Promise<Outcome>; expect: RegExp }[] {
  const azure = { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT_ID };
  return [
    {
      name: "node examples/providers/entra-id-secret.ts (fake Entra ID tenant)",
      expect: users,
      run: async () => {
        const secret = `Qx8~${crypto.randomUUID()}`;
        const entra = entraId({ tenant: TENANT, clientId: CLIENT_ID, secrets: [secret] });
        return runAgainst(run, "examples/providers/entra-id-secret.ts", [entra], { ...azure, AZURE_CLIENT_SECRET: secret }, () =>
          entra.tokenRequests().length === 1 ? [] : [`${entra.tokenRequests().length} token requests`], [secret]);
      },
    },
    {
      name: "node examples/providers/entra-id-certificate.ts (fake Entra ID tenant, a certificate it has registered)",
      expect: users,
      run: () => withFolder(async (dir) => {
        const certificate = await createCertificate("RSA", "tokenkeeper-example");
        const path = join(dir, "cert.pem");
        await writeFile(path, certificate.pem + certificate.keyPem, { mode: 0o600 });
        const entra = entraId({ tenant: TENANT, clientId: CLIENT_ID, certificates: [certificate.pem] });
        return runAgainst(run, "examples/providers/entra-id-certificate.ts", [entra], { ...azure, AZURE_CLIENT_CERTIFICATE_PATH: path }, () => {
          const header = entra.accepted[0]?.header;
          return header?.alg === "PS256" && header["x5t#S256"] === certificate.x5tS256 ? [] : [`the accepted header: ${JSON.stringify(header)}`];
        }, [certificate.keyPem.replace(/-----[^-]+-----|\s/g, "").slice(64, 128)]);
      }),
    },
    {
      name: "node examples/providers/entra-id-workload-identity.ts (fake Entra ID tenant, a service account token file)",
      expect: users,
      run: () => withFolder(async (dir) => {
        const issuer = await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, false, ["sign", "verify"]) as CryptoKeyPair;
        const now = Math.floor(Date.now() / 1000);
        const token = await new SignJWT({}).setProtectedHeader({ alg: "RS256", kid: "cluster" }).setIssuer(CLUSTER).setSubject(WORKLOAD)
          .setAudience([TOKEN_EXCHANGE_AUDIENCE]).setIssuedAt(now).setNotBefore(now).setExpirationTime(now + 3600).sign(issuer.privateKey);
        const path = join(dir, "azure-identity-token");
        await writeFile(path, token);
        const entra = entraId({ tenant: TENANT, clientId: CLIENT_ID, federated: [{ issuer: CLUSTER, subject: WORKLOAD, key: issuer.publicKey }] });
        return runAgainst(run, "examples/providers/entra-id-workload-identity.ts", [entra], { ...azure, AZURE_FEDERATED_TOKEN_FILE: path }, () =>
          entra.accepted[0]?.kind === "federated" ? [] : ["no federated assertion accepted"], [token]);
      }),
    },
    {
      name: "node examples/providers/entra-id-github-actions.ts (fakes of GitHub's OIDC endpoint and of an Entra ID tenant)",
      expect: users,
      run: async () => {
        const github = await githubActions();
        const entra = entraId({ tenant: TENANT, clientId: CLIENT_ID, federated: [{ issuer: GITHUB_OIDC_ISSUER, subject: github.subject, key: github.publicKey }] });
        return runAgainst(run, "examples/providers/entra-id-github-actions.ts", [entra, github], {
          ...azure,
          ACTIONS_ID_TOKEN_REQUEST_URL: github.requestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.requestToken,
        }, () => (github.tokens.length === 1 && entra.accepted[0]?.kind === "federated" ? [] : [`${github.tokens.length} OIDC tokens, accepted: ${JSON.stringify(entra.accepted)}`]), [github.requestToken]);
      },
    },
    {
      name: "node examples/providers/google-service-account.ts (fake Google token endpoint and Cloud Storage)",
      expect: /objects: \[ 'report\.csv' \]/,
      run: () => withFolder(async (dir) => {
        const pair = await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"]) as CryptoKeyPair;
        const privateKey = pem("PRIVATE KEY", new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey)));
        const keyId = "5c7b2e4f9a1d3c6b8e0f2a4c6e8a0b2d4f6a8c0e";
        const clientEmail = "reports@tokenkeeper-example.iam.gserviceaccount.com";
        const keyFile = { type: "service_account", project_id: "tokenkeeper-example", private_key_id: keyId, private_key: privateKey, client_email: clientEmail, client_id: "104218963851234567890", auth_uri: "https://accounts.google.com/o/oauth2/auth", token_uri: "https://oauth2.googleapis.com/token" };
        const path = join(dir, "key.json");
        await writeFile(path, JSON.stringify(keyFile, null, 2), { mode: 0o600 });
        const fake = google([{ clientEmail, keys: { [keyId]: pair.publicKey } }]);
        return runAgainst(run, "examples/providers/google-service-account.ts", [fake], { GOOGLE_APPLICATION_CREDENTIALS: path }, () =>
          fake.accepted[0]?.claims.scope === "https://www.googleapis.com/auth/devstorage.read_only" ? [] : [`accepted: ${JSON.stringify(fake.accepted)}`], [privateKey.replace(/-----[^-]+-----|\s/g, "").slice(64, 128)]);
      }),
    },
  ];
}
