// The quick start with private_key_jwt client authentication.
import { createTokenKeeper, privateKeyJwt } from "../../../mod.ts";

const { privateKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
const api = createTokenKeeper({
  tokenEndpoint: "https://as.example.com/token",
  clientId: "client",
  clientAuth: privateKeyJwt(privateKey),
  baseUrl: "https://api.example.com",
});
console.log((await api.fetch("/v2/some/resource")).status);
