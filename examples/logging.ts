// onEvent to logs: one structured line per event. Events never carry a secret or a token (a token
// appears only as `tokenHash`, 8 hex digits), so they can go to any log as they are. Failures are
// warnings; the rest is debug detail. The same shape suits pino (`logger[level](event)`) or
// console.
import { createTokenKeeper, type TokenKeeperEvent, type TokenKeeperOptions } from "tokenkeeper";

const options = {
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
  baseUrl: "https://api.example.com",
} satisfies TokenKeeperOptions;

function logEvent(event: TokenKeeperEvent): void {
  const level = event.type === "token_request_failed" || event.type === "cooldown" || event.type === "store_error" ? "warn" : "debug";
  console.log(JSON.stringify({ level, time: new Date().toISOString(), msg: `tokenkeeper ${event.type}`, ...event }));
}

const api = createTokenKeeper({ ...options, name: "billing-api", onEvent: logEvent });

for (const path of ["/v2/accounts", "/v2/offers"]) {
  const res = await api.fetch(path);
  console.log(JSON.stringify({ level: "info", msg: `GET ${path}`, status: res.status, body: await res.json() }));
}
