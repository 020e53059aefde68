// Minimal entry: one client credentials token with simple-oauth2.
import simpleOauth2 from "simple-oauth2";

const client = new simpleOauth2.ClientCredentials({
  client: { id: "client", secret: "secret" },
  auth: { tokenHost: "https://as.example.com" },
});
const accessToken = await client.getToken({});
console.log(accessToken.expired());
