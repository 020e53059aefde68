// The quick start with the JWT bearer grant (RFC 7523 §2.1) instead of client credentials.
import { createTokenKeeper, jwtBearer } from "../../../mod.ts";

const { privateKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
const api = createTokenKeeper({
  tokenEndpoint: "https://as.example.com/token",
  clientId: "client",
  grant: jwtBearer(privateKey),
  baseUrl: "https://api.example.com",
});
console.log((await api.fetch("/v2/some/resource")).status);
