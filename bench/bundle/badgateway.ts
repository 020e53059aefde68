// Minimal entry: one client credentials token through @badgateway/oauth2-client's OAuth2Fetch.
import { OAuth2Client, OAuth2Fetch } from "@badgateway/oauth2-client";

const client = new OAuth2Client({
  server: "https://as.example.com/",
  clientId: "client",
  clientSecret: "secret",
  tokenEndpoint: "/token",
});
const wrapper = new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials() });
const token = await wrapper.getToken();
console.log(token.expiresAt);
