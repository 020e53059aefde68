// Vercel's Edge Runtime (an Edge Function, or a Next.js route with `export const runtime = "edge"`):
// one keeper per isolate, at module scope, shared by every request the isolate serves, never one
// per request. Each request hands its waitUntil to getToken(), so a background refresh it starts
// finishes after the response is sent. Settings come from the project's environment variables.
// In CI, examples/shared/run-all.ts runs it in the edge-runtime package (Vercel's own runtime for
// local development and tests): three concurrent requests, one token request.
import { createTokenKeeper } from "tokenkeeper";

export const config = { runtime: "edge" };

const api = createTokenKeeper({
  tokenEndpoint: process.env.TOKEN_ENDPOINT!,
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
  baseUrl: process.env.API_BASE_URL!,
});

export default async function handler(request: Request, context: { waitUntil(promise: Promise<unknown>): void }): Promise<Response> {
  await api.getToken({ waitUntil: context.waitUntil.bind(context) });
  return api.fetch(`/v2${new URL(request.url).pathname}`); // the token is in memory now
}
