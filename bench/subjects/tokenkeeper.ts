// tokenkeeper, used as its README shows: one keeper, `getToken()` and `keeper.fetch()`.
import { createTokenKeeper } from "../../mod.ts";
import type { AccessToken } from "../../mod.ts";
import type { Subject } from "./types.ts";

export const tokenkeeper: Subject = {
  name: "tokenkeeper",
  async create(env) {
    const keeper = createTokenKeeper({
      tokenEndpoint: env.tokenUrl,
      clientId: env.clientId,
      clientSecret: env.clientSecret,
      baseUrl: env.origin,
    });
    return {
      getToken: () => keeper.getToken(),
      tokenOf: (t) => (t as AccessToken).accessToken,
      fetch: (url) => keeper.fetch(url),
      close: () => keeper.close(),
    };
  },
};
