// getToken() for code that wants the token itself: an SDK that takes a token string, a gRPC
// metadata entry, a WebSocket URL. Ask for it right before each use, never keep the string: a
// fresh token comes from memory, and an old one is replaced before it expires. With no
// keeper.fetch to call, createTokenProvider() is the keeper without it, and a bundle that uses
// only that carries none of keeper.fetch's code.
import { createTokenProvider, type TokenKeeperOptions } from "tokenkeeper";

/** Stands in for a vendor SDK that takes an access token, as many do. */
class ReportsClient {
  readonly #token: string;
  constructor(options: { accessToken: string }) {
    this.#token = options.accessToken;
  }
  async list(): Promise<unknown> {
    const res = await fetch("https://api.example.com/v2/reports", { headers: { authorization: `Bearer ${this.#token}` } });
    if (!res.ok) throw new Error(`GET /v2/reports failed: ${res.status}`);
    return res.json();
  }
}

const options = {
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
} satisfies TokenKeeperOptions;

const keeper = createTokenProvider(options);

async function listReports(): Promise<unknown> {
  const { accessToken } = await keeper.getToken();
  return new ReportsClient({ accessToken }).list();
}

console.log(await listReports());
console.log(await listReports()); // the same token, from memory
