// Next.js (App Router): the keeper lives in a module marked `server-only`. Route handlers and
// server components import it; a client component that imports it, even by accident, fails the
// build ("This module cannot be imported from a Client Component module"), so the client secret
// can never end up in a browser bundle. One keeper per server process: kept on globalThis so that
// `next dev`, which evaluates modules again on every edit, does not make a new one each time.
import "server-only";
import { createTokenKeeper, type TokenKeeper } from "tokenkeeper";

const shared = globalThis as typeof globalThis & { partnerApi?: TokenKeeper };

export const partnerApi: TokenKeeper = (shared.partnerApi ??= createTokenKeeper({
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!, // never NEXT_PUBLIC_: those are inlined into client bundles
  baseUrl: "https://api.example.com",
}));
