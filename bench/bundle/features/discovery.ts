// The quick start with the token endpoint discovered from the issuer's metadata.
import { createTokenKeeper, discover } from "../../../mod.ts";

const api = createTokenKeeper({
  tokenEndpoint: discover("https://as.example.com"),
  clientId: "client",
  clientSecret: "secret",
  baseUrl: "https://api.example.com",
});
console.log((await api.fetch("/v2/some/resource")).status);
