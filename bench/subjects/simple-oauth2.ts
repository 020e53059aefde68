// simple-oauth2 v5, as its README shows: `new ClientCredentials(config)`, `client.getToken()`, and
// `accessToken.expired(EXPIRATION_WINDOW_IN_SECONDS)` to get a new token before expiry. The README's
// window is 300 s for (typically) hour-long tokens; this adapter keeps that ratio, a twelfth of
// the lifetime. No single flight. simple-oauth2 has no fetch helper, so calls use global `fetch`
// with the header set by hand.
import simpleOauth2 from "simple-oauth2";
import type { Subject } from "./types.ts";

export const simpleOauth2Subject: Subject = {
  name: "simple-oauth2",
  async create(env) {
    const client = new simpleOauth2.ClientCredentials({
      client: { id: env.clientId, secret: env.clientSecret },
      auth: { tokenHost: env.origin, tokenPath: "/token" },
      options: { authorizationMethod: "body" },
    });
    const windowS = env.lifetimeS / 12;
    let accessToken: { expired(windowS?: number): boolean; token: Record<string, unknown> } | undefined;
    const getToken = async (): Promise<string> => {
      if (accessToken === undefined || accessToken.expired(windowS)) accessToken = await client.getToken({});
      return accessToken.token.access_token as string;
    };
    return {
      getToken,
      tokenOf: (t) => t as string,
      fetch: async (url) => fetch(url, { headers: { authorization: `Bearer ${await getToken()}` } }),
      close: async () => {},
    };
  },
};
