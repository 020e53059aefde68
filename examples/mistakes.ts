// The five most common mistakes, and what tokenkeeper says about each. Runs them all and prints
// each message as an application would log it; the README quotes this output, and CI checks that
// the quote is still true.
import { createTokenKeeper, isTokenKeeperError, type TokenKeeperOptions } from "tokenkeeper";

const options = {
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
} satisfies TokenKeeperOptions;

const mistakes: [string, () => Promise<unknown>][] = [
  // TypeScript refuses this one already; options built at run time, and JavaScript, get the error.
  // @ts-expect-error -- `scopes` is not an option
  ["an unknown option (scopes)", async () => createTokenKeeper({ ...options, scopes: "reports:read" })],
  ["a wrong client secret", () => createTokenKeeper({ ...options, clientSecret: "not-the-secret" }).getToken()],
  ["a token endpoint that answers an HTML 404 page", () => createTokenKeeper({ ...options, tokenEndpoint: "https://auth.example.com/oauth/v2/token" }).getToken()],
  ["a host name that does not resolve", () => createTokenKeeper({ ...options, tokenEndpoint: "https://auth.example.invalid/oauth2/token" }).getToken()],
  ["plain http to a host other than loopback", async () => createTokenKeeper({ ...options, tokenEndpoint: "http://keycloak:8080/realms/demo/protocol/openid-connect/token" })],
];

for (const [mistake, run] of mistakes) {
  console.log(`# ${mistake}`);
  try {
    await run();
    console.log("(no error)");
  } catch (error) {
    if (isTokenKeeperError(error)) console.log(`${error.name} [${error.code}]: ${error.message}`);
    else console.log(String(error));
  }
}
