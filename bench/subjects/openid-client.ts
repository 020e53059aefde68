// openid-client v6, as its README shows: `discovery()` then `clientCredentialsGrant()`. The README
// has no token cache, so this adapter adds the one a user would write: keep the response, reuse it
// while `expiresIn()` (the library's own helper) is above zero. No single flight. Resource calls
// go through `fetchProtectedResource()`.
import * as client from "openid-client";
import type { Subject } from "./types.ts";

export const openidClient: Subject = {
  name: "openid-client",
  async create(env) {
    const config = await client.discovery(new URL(env.origin), env.clientId, env.clientSecret, undefined, {
      execute: [client.allowInsecureRequests],
    });
    let tokens: Awaited<ReturnType<typeof client.clientCredentialsGrant>> | undefined;
    const getToken = async (): Promise<string> => {
      if (tokens === undefined || !(tokens.expiresIn()! > 0)) tokens = await client.clientCredentialsGrant(config);
      return tokens.access_token;
    };
    return {
      getToken,
      tokenOf: (t) => t as string,
      fetch: async (url) => client.fetchProtectedResource(config, await getToken(), new URL(url), "GET"),
      close: async () => {},
    };
  },
};
