// @badgateway/oauth2-client, as its README shows for keeping a token: an `OAuth2Fetch` wrapper
// whose `getNewToken` calls `client.clientCredentials()`. Tokens come from `wrapper.getToken()`
// (valid while `expiresAt > Date.now()`, one refresh at a time) and calls go through
// `wrapper.fetch()`.
import { OAuth2Client, OAuth2Fetch } from "@badgateway/oauth2-client";
import type { OAuth2Token } from "@badgateway/oauth2-client";
import type { Subject } from "./types.ts";

export const badgateway: Subject = {
  name: "@badgateway/oauth2-client",
  async create(env) {
    const client = new OAuth2Client({
      server: `${env.origin}/`,
      clientId: env.clientId,
      clientSecret: env.clientSecret,
      tokenEndpoint: "/token",
      authenticationMethod: "client_secret_post",
    });
    const wrapper = new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials() });
    return {
      getToken: () => wrapper.getToken(),
      tokenOf: (t) => (t as OAuth2Token).accessToken,
      fetch: (url) => wrapper.fetch(url),
      close: async () => {},
    };
  },
};
