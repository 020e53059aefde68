// The quick start with DPoP-bound tokens.
import { createTokenKeeper, dpop } from "../../../mod.ts";

const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
const api = createTokenKeeper({
  tokenEndpoint: "https://as.example.com/token",
  clientId: "client",
  clientSecret: "secret",
  baseUrl: "https://api.example.com",
  dpop: dpop(keys),
});
console.log((await api.fetch("/v2/some/resource")).status);
