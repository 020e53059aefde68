// Minimal entry: one client credentials token with openid-client (static metadata, no discovery).
import * as client from "openid-client";

const config = new client.Configuration(
  { issuer: "https://as.example.com", token_endpoint: "https://as.example.com/token" },
  "client",
  "secret",
);
const tokens = await client.clientCredentialsGrant(config);
console.log(tokens.expiresIn());
