// A fleet shares one token through Redis: one token request per refresh for all instances, not
// one per instance. Every instance imports the same AES-GCM key, so tokens are encrypted at rest
// and any instance can read what another stored. Make the key once and keep it as a secret:
//   node -e 'console.log(crypto.getRandomValues(Buffer.alloc(32)).toString("base64"))'
// In CI, examples/shared/run-all.ts runs this twice against a throwaway redis-server: the second
// run finds the first one's token in Redis and sends no token request.
import { createClient } from "redis";
import { createTokenKeeper, type TokenKeeperOptions } from "tokenkeeper";
import { redisStore } from "tokenkeeper/stores/redis";

const options = {
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
  baseUrl: "https://api.example.com",
} satisfies TokenKeeperOptions;

const encryptionKey = await crypto.subtle.importKey(
  "raw",
  Buffer.from(process.env.TOKEN_STORE_KEY!, "base64"), // 32 bytes, the same on every instance
  "AES-GCM",
  false,
  ["encrypt", "decrypt"],
);
const redis = await createClient({ url: process.env.REDIS_URL!, disableOfflineQueue: true }).connect();

const api = createTokenKeeper({ ...options, store: redisStore(redis, { encryptionKey, prefix: "tokenkeeper:" }) });

try {
  const res = await api.fetch("/v2/accounts");
  console.log(await res.json());
} finally {
  await api.close();
  await redis.close();
}
