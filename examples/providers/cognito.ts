// Amazon Cognito: an app client with a client secret and the client credentials grant, on a user
// pool with a domain. The secret goes as HTTP Basic (clientSecretBasic), as Cognito's token
// endpoint documents; scopes are custom scopes of a resource server, "identifier/scope" (without
// one, Cognito grants all of the app client's). A failed authentication is 400 invalid_client.
//   https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
//   https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html
// More: docs/providers.md.
import { clientSecretBasic, createTokenKeeper } from "tokenkeeper";

const cognito = createTokenKeeper({
  tokenEndpoint: "https://your-domain.auth.us-east-1.amazoncognito.com/oauth2/token",
  clientId: process.env.COGNITO_CLIENT_ID!,
  clientAuth: clientSecretBasic(process.env.COGNITO_CLIENT_SECRET!),
  scope: "reports/read", // resource server "reports", scope "read"
  baseUrl: "https://api.example.com",
});

const res = await cognito.fetch("/v2/reports");
console.log(await res.json());
