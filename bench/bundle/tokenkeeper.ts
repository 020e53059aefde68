// The quick start: a keeper with a static token endpoint, a client secret and a base URL, one API
// call through keeper.fetch(). Bundled by bench/measure/bundle.ts and by the size budget test.
import { createTokenKeeper } from "../../mod.ts";

const api = createTokenKeeper({
  tokenEndpoint: "https://as.example.com/token",
  clientId: "client",
  clientSecret: "secret",
  baseUrl: "https://api.example.com",
});
const response = await api.fetch("/v2/some/resource");
console.log(response.status);
