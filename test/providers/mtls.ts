// Node-only: an authorization server and an API that require a TLS client certificate (RFC 8705),
// over node:https on 127.0.0.1, with a throwaway CA made by the openssl command (as
// conformance/node/tls.ts makes its own). The token endpoint authenticates the client by its
// certificate (tls_client_auth, §2.1: the subject DN registered for the client, a chain to the CA;
// or self_signed_tls_client_auth, §2.2: the registered certificate itself) and binds the token to
// it: the token's `cnf` is { "x5t#S256": the certificate's SHA-256 thumbprint } (§3.1), kept by
// the server as its introspection would return it (§3.2). The API answers 401 invalid_token when
// the certificate of the connection is not the one the token is bound to (§3).
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";

/** A key and its certificate, PEM. */
export interface Pem {
  key: string;
  cert: string;
}

/** The CA, the servers' certificate, two client certificates from the CA and a self-signed one. */
export interface MtlsPki {
  ca: string;
  server: Pem;
  /** Subject CN=reports-client: the registered client. */
  client: Pem;
  /** Subject CN=other-client: a valid certificate of the same CA, another client's. */
  other: Pem;
  /** Subject CN=reports-client, self-signed. */
  selfSigned: Pem;
}

/** Makes the certificates with openssl; `undefined` when openssl is missing. */
export function makePki(): MtlsPki | undefined {
  const dir = mkdtempSync(join(tmpdir(), "tokenkeeper-mtls-"));
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  const read = (name: string): Pem => ({ key: readFileSync(join(dir, `${name}.key`), "utf8"), cert: readFileSync(join(dir, `${name}.crt`), "utf8") });
  try {
    ssl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=tokenkeeper mTLS test CA");
    const issue = (name: string, subject: string, ext: string) => {
      writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
      ssl("req", ...ec, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject);
      ssl("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", `${name}.ext`, "-out", `${name}.crt`);
      return read(name);
    };
    const server = issue("server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
    const client = issue("client", "/CN=reports-client", "extendedKeyUsage=clientAuth");
    const other = issue("other", "/CN=other-client", "extendedKeyUsage=clientAuth");
    ssl("req", "-x509", ...ec, "-keyout", "self.key", "-out", "self.crt", "-days", "2", "-subj", "/CN=reports-client");
    return { ca: readFileSync(join(dir, "ca.crt"), "utf8"), server, client, other, selfSigned: read("self") };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The base64url SHA-256 thumbprint of a DER certificate: `x5t#S256` (RFC 8705 §3.1). */
export function thumbprint(der: Uint8Array): string {
  return createHash("sha256").update(der).digest("base64url");
}

/** The thumbprint of a PEM certificate. */
export function pemThumbprint(pem: string): string {
  return thumbprint(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64"));
}

/** How the client is registered (RFC 8705 §2.1.2, §2.2). */
export type MtlsClient =
  | { id: string; method: "tls_client_auth"; subjectCn: string }
  | { id: string; method: "self_signed_tls_client_auth"; certificate: string };

/** What the servers saw. */
export interface MtlsServers {
  tokenEndpoint: string;
  apiBaseUrl: string;
  /** Tokens issued, with the thumbprint each is bound to. */
  issued: { token: string; cnf: { "x5t#S256": string } }[];
  /** Token requests: the form, the certificate presented (its thumbprint), the status answered. */
  tokenRequests: { form: URLSearchParams; presented: string | undefined; status: number }[];
  /** API calls: the path, the certificate presented, the status answered. */
  apiCalls: { path: string; presented: string | undefined; status: number }[];
  close(): Promise<void>;
}

function presented(socket: TLSSocket): { der: Buffer; cn: string } | undefined {
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.raw) return undefined;
  const cn = cert.subject?.CN;
  return { der: cert.raw, cn: Array.isArray(cn) ? cn.join(",") : (cn ?? "") };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`https://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** Starts the authorization server and the API, each requiring a client certificate. */
export async function startMtlsServers(pki: MtlsPki, client: MtlsClient): Promise<MtlsServers> {
  // A self-signed client certificate chains to no CA: the handshake takes any certificate and the
  // token endpoint compares it with the registered one (RFC 8705 §2.2).
  const tls = { key: pki.server.key, cert: pki.server.cert, ca: [pki.ca], requestCert: true, rejectUnauthorized: client.method === "tls_client_auth" };
  const state: Omit<MtlsServers, "tokenEndpoint" | "apiBaseUrl" | "close"> = { issued: [], tokenRequests: [], apiCalls: [] };
  const json = (res: import("node:http").ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers }).end(JSON.stringify(body));
    return status;
  };

  const auth = createServer(tls, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const cert = presented(req.socket as TLSSocket);
      const record = (status: number) => void state.tokenRequests.push({ form, presented: cert && thumbprint(cert.der), status });
      if (req.method !== "POST" || req.url !== "/token") return record(json(res, 404, { error: "not_found" }));
      if (form.get("grant_type") !== "client_credentials") return record(json(res, 400, { error: "unsupported_grant_type" }));
      // RFC 8705 §2: the client_id identifies the client; the certificate is its only credential.
      const authenticated = form.get("client_id") === client.id && cert !== undefined && !form.has("client_secret") && !form.has("client_assertion") &&
        (client.method === "tls_client_auth"
          ? (req.socket as TLSSocket).authorized && cert.cn === client.subjectCn
          : thumbprint(cert.der) === pemThumbprint(client.certificate));
      if (!authenticated) return record(json(res, 401, { error: "invalid_client" }));
      const token = randomBytes(24).toString("base64url");
      state.issued.push({ token, cnf: { "x5t#S256": thumbprint(cert.der) } });
      record(json(res, 200, { access_token: token, token_type: "Bearer", expires_in: 3600 }));
    });
  });

  const api = createServer(tls, (req, res) => {
    req.resume();
    const cert = presented(req.socket as TLSSocket);
    const value = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    const token = state.issued.find((t) => t.token === value);
    const record = (status: number) => void state.apiCalls.push({ path: req.url ?? "", presented: cert && thumbprint(cert.der), status });
    if (token === undefined) return record(json(res, 401, { error: "invalid_token" }, { "www-authenticate": 'Bearer error="invalid_token"' }));
    // RFC 8705 §3: a certificate-bound token is refused over any other certificate.
    if (cert === undefined || thumbprint(cert.der) !== token.cnf["x5t#S256"]) {
      return record(json(res, 401, { error: "invalid_token" }, { "www-authenticate": 'Bearer error="invalid_token", error_description="the token is bound to another certificate"' }));
    }
    record(json(res, 200, { ok: true, path: req.url, "x5t#S256": token.cnf["x5t#S256"] }));
  });

  const [authUrl, apiUrl] = await Promise.all([listen(auth), listen(api)]);
  return {
    ...state,
    tokenEndpoint: `${authUrl}/token`,
    apiBaseUrl: apiUrl,
    close: async () => {
      for (const server of [auth, api]) server.closeAllConnections();
      await Promise.all([auth, api].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}
