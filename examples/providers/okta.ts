// Okta: the client credentials flow against a custom authorization server ("default" here), the
// app authenticating with private_key_jwt and the Key ID (kid) Okta shows beside its public key.
// Okta refuses a request without a scope (400 invalid_scope) unless the authorization server has
// a default scope; with a client secret instead, use clientAuth: clientSecretBasic(secret), the
// method Okta registers by default.
//   https://developer.okta.com/docs/guides/implement-grant-type/clientcreds/main/
//   https://developer.okta.com/docs/guides/build-self-signed-jwt/main/
//   https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth
// More: docs/providers.md.
import { createTokenKeeper, privateKeyJwt } from "tokenkeeper";

/** A PEM (PKCS #8) RSA private key, as Okta's Admin Console generates it, as a signing key. */
function importPrivateKey(pem: string): Promise<CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
  return crypto.subtle.importKey("pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
}

const okta = createTokenKeeper({
  tokenEndpoint: "https://your-org.okta.com/oauth2/default/v1/token",
  clientId: process.env.OKTA_CLIENT_ID!,
  clientAuth: privateKeyJwt({ key: await importPrivateKey(process.env.OKTA_PRIVATE_KEY!), kid: process.env.OKTA_KEY_ID! }),
  scope: "reports.read", // a custom scope of the authorization server
  baseUrl: "https://api.example.com",
});

const res = await okta.fetch("/v2/reports");
console.log(await res.json());
