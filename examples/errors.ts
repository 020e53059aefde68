// Errors: every runtime failure is a TokenKeeperError with a `code` from a closed set, so a
// `switch` narrows it; the token endpoint's OAuth errors carry `error` and `error_description`.
// The `code` does not narrow the type to TokenEndpointError: isTokenEndpointError() does, and then
// `error.error` is the OAuth error code. Here the secret is wrong: the answer is invalid_client.
import { createTokenKeeper, isTokenEndpointError, isTokenKeeperError, type TokenKeeperOptions } from "tokenkeeper";

const options = {
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
  baseUrl: "https://api.example.com",
} satisfies TokenKeeperOptions;

const api = createTokenKeeper({ ...options, clientSecret: "not-the-secret" });

try {
  await api.fetch("/v2/accounts");
} catch (error) {
  if (!isTokenKeeperError(error)) throw error;
  switch (error.code) {
    case "OAUTH_ERROR": // the token endpoint said no: retrying will not help
      if (isTokenEndpointError(error) && error.error === "invalid_client") console.error(`check the client id and secret: ${error.error} (${error.status})`);
      console.error(`check the client configuration: ${error.message}`);
      break;
    case "NETWORK_ERROR":
    case "TIMEOUT":
    case "COOLDOWN": // the token endpoint is unreachable or failing: try again later
      console.error(`token endpoint unavailable: ${error.message}`);
      break;
    default:
      throw error;
  }
}
