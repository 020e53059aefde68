// Raw oauth4webapi, as its client_credentials example shows: `clientCredentialsGrantRequest()`,
// `processClientCredentialsResponse()`, `protectedResourceRequest()`. The example requests a token
// once; this adapter keeps it in a variable until `expires_in` runs out (counted from receipt), the
// naive cache a user writes. No single flight, no early refresh.
import * as oauth from "oauth4webapi";
import type { Subject } from "./types.ts";

export const oauth4webapi: Subject = {
  name: "oauth4webapi (raw)",
  async create(env) {
    const as: oauth.AuthorizationServer = { issuer: `${env.origin}/`, token_endpoint: env.tokenUrl };
    const client: oauth.Client = { client_id: env.clientId };
    const clientAuth = oauth.ClientSecretPost(env.clientSecret);
    const insecure = { [oauth.allowInsecureRequests]: true };
    let cached: { token: string; expiresAt: number } | undefined;
    const getToken = async (): Promise<string> => {
      if (cached !== undefined && Date.now() < cached.expiresAt) return cached.token;
      const response = await oauth.clientCredentialsGrantRequest(as, client, clientAuth, new URLSearchParams(), insecure);
      const result = await oauth.processClientCredentialsResponse(as, client, response);
      cached = { token: result.access_token, expiresAt: Date.now() + (result.expires_in ?? 0) * 1000 };
      return cached.token;
    };
    return {
      getToken,
      tokenOf: (t) => t as string,
      fetch: async (url) => oauth.protectedResourceRequest(await getToken(), "GET", new URL(url), undefined, undefined, insecure),
      close: async () => {},
    };
  },
};
