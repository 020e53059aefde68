// axios: a request interceptor puts the token on every request; a response interceptor drops a
// token the API rejects (401) and sends the request again once. axios does not take a fetch, so
// this is the getToken() way; keeper.fetch does the same for fetch-based clients.
import axios, { AxiosError } from "axios";
import { createTokenKeeper, type TokenKeeperOptions } from "tokenkeeper";

const options = {
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
  baseUrl: "https://api.example.com",
} satisfies TokenKeeperOptions;

const keeper = createTokenKeeper(options);

const api = axios.create({ baseURL: "https://api.example.com/v2" });

api.interceptors.request.use(async (config) => {
  const { accessToken } = await keeper.getToken();
  config.headers.set("Authorization", `Bearer ${accessToken}`);
  return config;
});

api.interceptors.response.use(undefined, async (error: unknown) => {
  const config = error instanceof AxiosError ? error.config : undefined;
  if (error instanceof AxiosError && error.response?.status === 401 && config && !("retried" in config)) {
    await keeper.invalidate(String(config.headers.get("Authorization")).replace(/^Bearer /, ""));
    return api.request(Object.assign(config, { retried: true }));
  }
  throw error;
});

// CI only: the fake API is reached through fetch (examples/shared/fake-network.ts), so axios uses
// its fetch adapter there; an application keeps axios's default.
if (process.env.TOKENKEEPER_FAKE_NETWORK) api.defaults.adapter = "fetch";

console.log((await api.get("/accounts")).data);
console.log((await api.post("/orders", { item: "book", quantity: 1 })).data);
