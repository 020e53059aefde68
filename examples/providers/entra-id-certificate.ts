// Microsoft Entra ID with a certificate credential: a private_key_jwt assertion signed with the
// certificate's key, its header naming the certificate, as Microsoft documents it
// (https://learn.microsoft.com/entra/identity-platform/certificate-credentials): alg PS256, typ JWT,
// x5t#S256 the certificate's SHA-256 thumbprint; aud the v2.0 token endpoint, iss = sub = the
// client id, a unique jti, exp and nbf. The request is the flow's "Second case"
// (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
// AZURE_CLIENT_CERTIFICATE_PATH is a PEM file with the certificate and its PKCS#8 private key, as
// the Azure SDKs read it. For Entra's older docs (RS256 with the SHA-1 thumbprint in x5t), pass
// certificateKey(pem, { alg: "RS256", thumbprints: ["x5t"] }).
//   AZURE_TENANT_ID=… AZURE_CLIENT_ID=… AZURE_CLIENT_CERTIFICATE_PATH=cert.pem npx tsx examples/providers/entra-id-certificate.ts
// In CI, examples/shared/run-all.ts runs it against a fake Entra tenant (test/providers/entra-id.ts).
import { readFile } from "node:fs/promises";
import { certificateKey, createTokenKeeper, privateKeyJwt } from "tokenkeeper";

const pem = await readFile(process.env.AZURE_CLIENT_CERTIFICATE_PATH!, "utf8");

const graph = createTokenKeeper({
  // A static token endpoint: the assertion's aud is this URL, as Entra wants it.
  tokenEndpoint: `https://login.microsoftonline.com/${process.env.AZURE_TENANT_ID}/oauth2/v2.0/token`,
  clientId: process.env.AZURE_CLIENT_ID!,
  clientAuth: privateKeyJwt(await certificateKey(pem)),
  scope: "https://graph.microsoft.com/.default",
  baseUrl: "https://graph.microsoft.com/v1.0",
});

const res = await graph.fetch("/users?$top=1&$select=id,displayName");
if (!res.ok) throw new Error(`GET /users: ${res.status}`);
const { value } = (await res.json()) as { value: { displayName: string }[] };
console.log("users:", value.map((user) => user.displayName));
