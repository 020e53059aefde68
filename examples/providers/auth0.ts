// Auth0: a machine-to-machine application asks for a token for one API, named by its Identifier
// as `audience`; without it (and without a tenant Default Audience) Auth0 answers 403
// access_denied. The secret goes in the form (client_secret_post, the app's "Post" method, what
// clientSecret sends); Auth0 takes a JSON body too, and tokenkeeper sends a form.
//   https://auth0.com/docs/get-started/authentication-and-authorization-flow/client-credentials-flow/call-your-api-using-the-client-credentials-flow
// Every token issued counts against the tenant's monthly machine-to-machine token quota: one
// keeper per process, and a shared store for a fleet, keep that to one token per lifetime (24 h
// by default) instead of one per request.
//   https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens
// More: docs/providers.md.
import { createTokenKeeper } from "tokenkeeper";

const auth0 = createTokenKeeper({
  tokenEndpoint: "https://your-tenant.auth0.com/oauth/token",
  clientId: process.env.AUTH0_CLIENT_ID!,
  clientSecret: process.env.AUTH0_CLIENT_SECRET!,
  tokenParameters: { audience: "https://api.example.com" }, // the API's Identifier; part of the cache key
  baseUrl: "https://api.example.com",
});

const res = await auth0.fetch("/v2/orders");
console.log(await res.json());
