// Minimal entry: a keeper that gets one token. Bundled by bench/bundle.ts and by the size budget
// test (test/node/bundle-budget.test.ts).
import { createTokenKeeper } from "../../mod.ts";

const keeper = createTokenKeeper({
  tokenEndpoint: "https://as.example.com/token",
  clientId: "client",
  clientSecret: "secret",
});
const token = await keeper.getToken();
console.log(token.expiresAt);
