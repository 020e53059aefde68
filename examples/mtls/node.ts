// mTLS (RFC 8705) on Node: the client certificate is the credential at the token endpoint
// (tls_client_auth: the request carries client_id and no secret), and the token the server
// issues is bound to that certificate (its cnf claim holds the certificate's SHA-256 thumbprint),
// so the API accepts it only over a connection that presents the same certificate. One undici
// Agent with the certificate, given as the keeper's fetch, carries both: the token request and
// every keeper.fetch call. More: docs/mtls.md.
import { readFileSync } from "node:fs";
import * as oauth from "oauth4webapi";
import { Agent } from "undici";
import { createTokenKeeper, customClientAuth } from "tokenkeeper";

const certificate = readFileSync(process.env.CLIENT_CERT_FILE!, "utf8");
const tls = new Agent({
  connect: {
    cert: certificate,
    key: readFileSync(process.env.CLIENT_KEY_FILE!, "utf8"),
    ...(process.env.CA_FILE ? { ca: readFileSync(process.env.CA_FILE, "utf8") } : {}), // the servers' private CA, if any
  },
});

/** The certificate's SHA-256 thumbprint (x5t#S256): what tells this credential apart in a shared store. */
async function thumbprint(pem: string): Promise<string> {
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
  return Buffer.from(await crypto.subtle.digest("SHA-256", der)).toString("base64url");
}

const api = createTokenKeeper({
  tokenEndpoint: process.env.MTLS_TOKEN_ENDPOINT!, // the mTLS endpoint alias, when the server has one (RFC 8705 §5)
  clientId: process.env.CLIENT_ID!,
  clientAuth: customClientAuth("tls_client_auth", oauth.TlsClientAuth(), { credentialId: `x5t#S256:${await thumbprint(certificate)}` }),
  baseUrl: process.env.API_BASE_URL!,
  fetch: (input, init) => fetch(input, { ...init, dispatcher: tls } as RequestInit), // dispatcher: Node's extension
});

const res = await api.fetch("/v2/reports");
console.log(await res.json());
await api.close();
await tls.close();
