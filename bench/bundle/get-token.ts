// A token only: createTokenProvider(), the keeper without fetch, and one getToken(), as code that
// puts the token on its own requests (an SDK's auth hook) uses it. Bundled by
// bench/measure/bundle.ts and by the size budget test: it must carry none of keeper.fetch's code.
import { createTokenProvider } from "../../mod.ts";

const tokens = createTokenProvider({
  tokenEndpoint: "https://as.example.com/token",
  clientId: "client",
  clientSecret: "secret",
});
const { accessToken } = await tokens.getToken();
console.log(accessToken.length);
