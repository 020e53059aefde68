// Minimal entry: one client credentials token with raw oauth4webapi.
import * as oauth from "oauth4webapi";

const as: oauth.AuthorizationServer = { issuer: "https://as.example.com", token_endpoint: "https://as.example.com/token" };
const client: oauth.Client = { client_id: "client" };
const auth = oauth.ClientSecretPost("secret");
const response = await oauth.clientCredentialsGrantRequest(as, client, auth, new URLSearchParams());
const result = await oauth.processClientCredentialsResponse(as, client, response);
console.log(result.expires_in);
