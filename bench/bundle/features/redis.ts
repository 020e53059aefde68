// The quick start with the Redis store adapter (the protocol, encryption and the adapter).
import { createTokenKeeper } from "../../../mod.ts";
import { redisStore } from "../../../src/stores/redis.ts";

declare const client: { sendCommand(args: string[]): Promise<unknown> };
const api = createTokenKeeper({
  tokenEndpoint: "https://as.example.com/token",
  clientId: "client",
  clientSecret: "secret",
  baseUrl: "https://api.example.com",
  store: redisStore(client),
});
console.log((await api.fetch("/v2/some/resource")).status);
