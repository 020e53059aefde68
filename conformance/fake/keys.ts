// A fixed RSA test key and a self-signed certificate for it (CN=conformance-test-client, valid
// until 2126), for libraries that sign client assertions with RSA only or take a certificate
// (capability `rsa_keys`; MSAL's `clientCertificate`). Test material: it authenticates nothing
// outside the fake servers. Made with `openssl req -x509 -newkey rsa:2048`. Also the EC keys
// scenarios make, and their JWKs for subjects in another process.
import { base64url } from "jose";
import type { AssertionKey } from "../types.ts";

const PRIVATE_KEY_PEM = `
-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC03crf+Nc1W5rE
+ahFp156w9u+ag6GRiIBlApjorb2yGJL/Ww0NoPQeNSP9/GYdXI8vWD+wKjbPfVd
2e79tzVKGjELMy3ABuEhi97Dj9Y9pfcTNR/W+ltNcfSsR2BWwtnhJ2ZjnOC+lKAU
TJGLhFcA5cVTL8v8QBAkPRjl99GitHnbq768sBk6DJpwOl2aW04CoVaAcBhGNlwC
7ScGbOes2WN3z0jfbBAY7ZvoQC6tYQmyD7O21bGQ3I8+O+5ETqEf3f2dARuQ4MDC
j1Z0JBu1CPcdeNwiFz60edhvHSXyCeT0ngBzfKobxeruroM5q7GOus6kUxzQBe0C
pWP4O/OxAgMBAAECggEAA4GvUk39t33Wcw4z2kOjuHW2phzwZF9/YrsA4Fbep8um
4uTU+w2Aoi3p/DaTzQot4lFA9v90dNtEuBDRVN9i1n7mgGiWVIp703hlzmsp/ZJS
x0ScPSSZkclQ3lpt6R7vbs4GBxx+eBjHBfhk8/4gPexEufPg47vVHvMwEseODzZM
cZ28li4hyt/sgU5sWvOkNZrw5jEmT2XRgEC1M5F5N9OTBhlRr1xTbZGYHa59+rCG
cAyQwGqNuwScJ4CUXGwwHQEjLFNGCimcv/liCJW9e/pOJM+Y5OY6l0+232NnAAb9
A77vX+jRntg8GBmsOXFJlRh4jkP9j3f/W1IeOm1YSQKBgQD6INvAW4rAtu9wETTw
eLZD3fs3yMnfEcwQVBsmf18VzkE3612jVEJzTyOMhnuNDJu+ZKaMEY/7SAG6Bn/B
Eqlqhhyse3i/rtWDJY6qVBT4tZN78q6IfcG7ZGz4ZrbcuWsL1MdYub3TE2u9FAnn
4D82yk+ron+UR2+LtWsGISPE7QKBgQC5HLSedY1E4L8Q5NEh8wxJdU97zpMJsPKJ
luRVpvyO4oUxtvnpXzGDPoH2Ad2A/E7SaXL6VtMhkXxzWBHmOoAiVfDf600SwmdV
bR0aARl5+zEiHOgut1lSEM2Vz/PnFQGKnN2ascU/ZhdNASN+rsIomVvQ+vpaVg+P
NUS13aC1VQKBgQCzfaLUPZyrQFtAC0j3C1iYCRJ+bHrYtZe/W+uDy8E7D6BjdWXj
j9KDlpXHALZmeFbG4MlXGD8/LeP3TzScIz0psQWgjJYQz3BuRSREfEP0WbB1MKgo
UD4WsDE2a9brO69idRV8SQW8E2Kr81ZMa/JQ6gsT+m8cw8p68fvUETHu3QKBgCt7
3cX3cTcD4H40chgagwFiiEhaD1pQcbj2dC7Wqi9acNVr2SsEDJp6/YZvi7v4CQAO
e07pRHF3PpfN0W6WwXDPZWUEXjeQ6Ts9BYANUBHCexk7VyNaOKY5gkG19uKKobER
BlGHfwFUlxaktNTWco+c7t+ZhWPhIYiPh9N8+3p9AoGBAKMDnmqGeCQWNWutFApB
O/CCTbKPC2YbiP6HRFVJXh7XiyhibMzLxrYrihrFf8of6CVUp+xcH67+NqqIh/6i
E5iZfjC3yGrdcIzltnvOUwvisJ86A88Io7eE8sO4wsUjkJrVJEF2cHJb9A4ET977
ZdgkZoWD8wGSAdVjXStecLma
-----END PRIVATE KEY-----
`.trim();

const CERTIFICATE_PEM = `
-----BEGIN CERTIFICATE-----
MIIDJzCCAg+gAwIBAgIUTNYGDuqKWqEYPK2Gi8d9233R73UwDQYJKoZIhvcNAQEL
BQAwIjEgMB4GA1UEAwwXY29uZm9ybWFuY2UtdGVzdC1jbGllbnQwIBcNMjYxMjA3
MjAxNjQ1WhgPMjEyNjExMTMyMDE2NDVaMCIxIDAeBgNVBAMMF2NvbmZvcm1hbmNl
LXRlc3QtY2xpZW50MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtN3K
3/jXNVuaxPmoRadeesPbvmoOhkYiAZQKY6K29shiS/1sNDaD0HjUj/fxmHVyPL1g
/sCo2z31Xdnu/bc1ShoxCzMtwAbhIYvew4/WPaX3EzUf1vpbTXH0rEdgVsLZ4Sdm
Y5zgvpSgFEyRi4RXAOXFUy/L/EAQJD0Y5ffRorR526u+vLAZOgyacDpdmltOAqFW
gHAYRjZcAu0nBmznrNljd89I32wQGO2b6EAurWEJsg+zttWxkNyPPjvuRE6hH939
nQEbkODAwo9WdCQbtQj3HXjcIhc+tHnYbx0l8gnk9J4Ac3yqG8Xq7q6DOauxjrrO
pFMc0AXtAqVj+DvzsQIDAQABo1MwUTAdBgNVHQ4EFgQUFacLDjhQCAh7a9X8xxZ6
htpA2pcwHwYDVR0jBBgwFoAUFacLDjhQCAh7a9X8xxZ6htpA2pcwDwYDVR0TAQH/
BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOCAQEASkGvF+NkgWbTTo41WtnFyEL96Ieb
z3T0ABfKdxgjRvWx/Wa9sc1TnlKohYOaz4sQeN9Tyw+n9uIjdXzRKXNeKmOqonh6
MQo0ukYe7HOU2SrAddEcgQZAwWZmJyyx3arWQJZ9vy1QyEdoPs8DTUMY45KZLiAv
3l7lOQtDhQor2KInvkl21YadSBPc6XNCHc+Wgn+tNjEevkOXKogN3j4w2ycpsgIv
zFbI8T43p+yNTQ/CkjVpcGRFzBmgNxOTQEf5eMD4118zc9HIODQF2q05njiSQOuN
lU+mycGeDvRj9i8ilp9Zz7D3bZffapW9juIZ1GmoWONQ/5r9ZZeflz+uSg==
-----END CERTIFICATE-----
`.trim();

/**
 * The private JWKs of the EC keys {@link ecKeyPair} made, by their non-extractable CryptoKey: the
 * only way a key reaches a subject in another process (process/wire.ts), while subjects in this
 * process keep getting keys nobody can export.
 */
const privateJwks = new WeakMap<CryptoKey, JsonWebKey>();

/**
 * A fresh ES256 key pair for private_key_jwt or DPoP. The private key is not extractable, as a
 * library in this process would be handed it; its JWK is kept aside for {@link exportJwk}.
 */
export async function ecKeyPair(): Promise<CryptoKeyPair> {
  const algorithm = { name: "ECDSA", namedCurve: "P-256" };
  const pair = (await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
  const privateKey = await crypto.subtle.importKey("jwk", jwk, algorithm, false, ["sign"]);
  privateJwks.set(privateKey, jwk);
  return { privateKey, publicKey: pair.publicKey };
}

/**
 * A scenario key as a JWK (RFC 7517), for a subject in another process: an extractable key is
 * exported; a private key {@link ecKeyPair} made comes from its kept JWK. `undefined` for a
 * non-extractable key the suite did not make.
 */
export async function exportJwk(key: CryptoKey): Promise<JsonWebKey | undefined> {
  const kept = privateJwks.get(key);
  if (kept) return { ...kept };
  return key.extractable ? ((await crypto.subtle.exportKey("jwk", key)) as JsonWebKey) : undefined;
}

const der = (pem: string) => Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\s/g, "")), (c) => c.charCodeAt(0));

/**
 * The RSA assertion key with its PEM forms, certificate and thumbprints, as a PS256 key (RSA-PSS):
 * what libraries that take a certificate and its SHA-256 thumbprint sign with (MSAL).
 */
export async function rsaAssertionKey(): Promise<AssertionKey> {
  const algorithm = { name: "RSA-PSS", hash: "SHA-256" };
  const privateKey = await crypto.subtle.importKey("pkcs8", der(PRIVATE_KEY_PEM), algorithm, true, ["sign"]);
  const jwk = await crypto.subtle.exportKey("jwk", privateKey);
  const publicKey = await crypto.subtle.importKey("jwk", { kty: "RSA", n: jwk.n!, e: jwk.e!, alg: "PS256", ext: true }, algorithm, true, ["verify"]);
  const cert = der(CERTIFICATE_PEM);
  const thumb = async (hash: string) => base64url.encode(new Uint8Array(await crypto.subtle.digest(hash, cert)));
  return {
    privateKey,
    publicKey,
    kid: "rsa1",
    alg: "PS256",
    privateKeyPem: PRIVATE_KEY_PEM,
    certificatePem: CERTIFICATE_PEM,
    x5t: await thumb("SHA-1"),
    x5tS256: await thumb("SHA-256"),
  };
}
