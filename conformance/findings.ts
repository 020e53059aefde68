// Why each peer misses what it misses: for every scenario a peer fails, misses or cannot be graded
// in, the line of the peer's own source (or docs) at the graded version that causes it. The matrix
// prints these next to the failures; `npm run conformance:matrix` lists misses without one.
// Runtime-neutral data.

/** One cause: what the peer does and the line that does it. */
export interface Finding {
  /** What the library does, in a few words. */
  why: string;
  /** github.com/OWNER/REPO/blob/TAG/PATH#Lnn, or the docs page that says so. */
  link: string;
}

/** A peer's findings at one version, keyed by scenario id (or several ids, comma-separated). */
export interface PeerFindings {
  /** The graded version the findings were checked against. */
  version: string;
  /** Where the linked lines come from, when not from that version's own tag. */
  note?: string;
  byScenario: Readonly<Record<string, Finding>>;
}

const O4W = "https://github.com/panva/oauth4webapi/blob/v3.8.7/src/index.ts#L";
const OC = "https://github.com/panva/openid-client/blob/v6.8.7/src/index.ts#L";
const BG = "https://github.com/badgateway/oauth2-client/blob/v3.3.1/src/";
const SO = "https://github.com/lelylan/simple-oauth2/blob/5.1.0/";
const MN = "https://github.com/AzureAD/microsoft-authentication-library-for-js/blob/msal-node-v7.2.4/lib/msal-node/src/";
const MC = "https://github.com/AzureAD/microsoft-authentication-library-for-js/blob/msal-common-v16.18.0/lib/msal-common/src/";

// Clients in other languages, graded from Debian's packages: links at the upstream tag. Each
// linked file was compared with the Debian build that was graded (each peer's note says where
// they differ), and each line read at the tag.
const GO = "https://github.com/golang/oauth2/blob/v0.3.0/";
const AL = "https://github.com/lepture/authlib/blob/v1.2.0/authlib/";
const RB = "https://github.com/oauth-xx/oauth2/blob/v1.4.4/lib/oauth2/";

/** What oauth4webapi and openid-client share: a request per call, by design. */
const lowLevel = (link: string): Finding => ({ why: "one token request per call, by design: no cache, no single flight, no retry, no backoff (a low-level API)", link });

/** Findings per subject name. */
export const FINDINGS: Readonly<Record<string, PeerFindings>> = {
  oauth4webapi: {
    version: "3.8.8",
    note: "lines from the v3.8.7 source (the newest tag in this checkout); the 3.8.8 build has the same code",
    byScenario: {
      "AUTH-09": { why: "None() authenticates nothing and clientCredentialsGrantRequest accepts it", link: `${O4W}2086` },
      "GRANT-03,GRANT-07": { why: "parameters are forwarded as given, unchecked", link: `${O4W}4596` },
      "GRANT-06": { why: "the response's scope is returned as sent; an omitted one stays undefined", link: `${O4W}3815` },
      "RESP-07": { why: "a body that is not JSON fails as a parse error that keeps the SyntaxError, not the status", link: `${O4W}7097` },
      "SEC-05": { why: "a response validation error carries the whole response body (access_token included) in its cause", link: `${O4W}3793` },
      "EXP-08,RS-03,SEC-08": { why: "protectedResourceRequest sends one request to whatever URL it is given, with no origin policy, refresh or retry", link: `${O4W}3094` },
      "EXP-01,EXP-09,CONC-01,ERR-04,ERR-05,ERR-09,FAULT-01,FAULT-02,FAULT-03,FAULT-04,FAULT-05,FAULT-06": lowLevel(`${O4W}4596`),
      "ERR-07": { why: "no timeout of its own: a deadline is the caller's AbortSignal", link: `${O4W}4596` },
    },
  },
  "openid-client": {
    version: "6.9.0",
    note: "lines from the v6.8.7 source (the newest tag in this checkout); the 6.9.0 build has the same code",
    byScenario: {
      "AUTH-09": { why: "None() authenticates nothing and clientCredentialsGrant accepts it", link: `${OC}365` },
      "GRANT-03,GRANT-07": { why: "parameters are forwarded as given, unchecked", link: `${OC}3785` },
      "GRANT-06": { why: "the response's scope is returned as sent (oauth4webapi underneath); an omitted one stays undefined", link: `${O4W}3815` },
      "RESP-07": { why: "a body that is not JSON fails as oauth4webapi's parse error, without the status", link: `${O4W}7097` },
      "SEC-05": { why: "errors keep oauth4webapi's cause, the whole response body (access_token included)", link: `${OC}967` },
      "EXP-08,RS-03,SEC-08": { why: "fetchProtectedResource sends one request to whatever URL it is given, with no origin policy, refresh or retry", link: `${OC}4537` },
      "EXP-01,EXP-09,CONC-01,ERR-04,ERR-05,ERR-09,FAULT-01,FAULT-04,FAULT-05,FAULT-06": lowLevel(`${OC}3785`),
    },
  },
  "@badgateway/oauth2-client": {
    version: "3.3.1",
    byScenario: {
      "AUTH-09": { why: "without a secret the client sends client_secret_post with no secret instead of refusing", link: `${BG}client.ts#L415` },
      "GRANT-03,GRANT-07": { why: "scope and resource are forwarded as given", link: `${BG}client.ts#L218` },
      "GRANT-05": { why: "OAuth2Fetch renews with the refresh_token a client-credentials response carried", link: `${BG}fetch-wrapper.ts#L204` },
      "GRANT-06": { why: "the token's scope is set only when the response has one", link: `${BG}client.ts#L516` },
      "RESP-03,RESP-04": { why: "token_type is read and dropped; OAuth2Fetch sends every token as Bearer", link: `${BG}client.ts#L504` },
      "RESP-05": { why: "only a falsy access_token is refused; a number passes", link: `${BG}client.ts#L493` },
      "RESP-06,EXP-04,EXP-05": { why: "expires_in is used unchecked; a missing or 0 lifetime means a token that never expires", link: `${BG}client.ts#L510` },
      "RESP-07,RESP-11,ERR-04": { why: "any 2xx is a success; a body that is not labelled JSON is left unread; no retry", link: `${BG}client.ts#L458` },
      "EXP-02": { why: "OAuth2Fetch renews only once expiresAt has passed (no margin)", link: `${BG}fetch-wrapper.ts#L150` },
      "ERR-09,FAULT-04,FAULT-05,FAULT-06": { why: "one token request per renewal, no retry or backoff", link: `${BG}fetch-wrapper.ts#L188` },
      "SEC-01": { why: "OAuth2Fetch attaches the token to any URL, http included", link: `${BG}fetch-wrapper.ts#L121` },
      "SEC-04": { why: "metadata is fetched from /.well-known/oauth-authorization-server resolved against the server URL, dropping an issuer's path", link: `${BG}client.ts#L325` },
      "SEC-05": { why: "OAuth2HttpError keeps the response body, and the message quotes error_description verbatim", link: `${BG}client.ts#L483` },
      "SEC-08": { why: "OAuth2Fetch attaches the token to whatever origin it is asked to fetch", link: `${BG}fetch-wrapper.ts#L121` },
      "SEC-09": { why: "the token request goes through fetch with its default redirect mode (follow): a 307/308 re-posts the form, secret included", link: `${BG}client.ts#L451` },
    },
  },
  "simple-oauth2": {
    version: "5.1.0",
    byScenario: {
      "AUTH-02,AUTH-04": { why: "client id and secret must match /^[\\x20-\\x7E]*$/ (VSCHAR): a non-ASCII secret is refused", link: `${SO}lib/config.js#L7` },
      "AUTH-09": { why: "client.secret is optional: a client without one sends its token request unauthenticated", link: `${SO}lib/config.js#L15` },
      "GRANT-03,GRANT-07": { why: "scope and other parameters are forwarded as given", link: `${SO}lib/grant-type-params.js#L8` },
      "GRANT-06,RESP-03,RESP-04,RESP-05,RESP-08,RESP-09": { why: "the token is whatever JSON came back, spread as is: no member is checked", link: `${SO}lib/access-token-parser.js#L37` },
      "RESP-06,EXP-04": { why: "expires_in goes through Number.parseInt unchecked; without it no expiry is set, and expired() is never true", link: `${SO}lib/access-token-parser.js#L9` },
      "RESP-11,ERR-04,ERR-09": { why: "one Wreck POST per call; its payload is the token whatever the 2xx status; no retry", link: `${SO}lib/client/client.js#L39` },
      "CONC-01,ERR-05": { why: "the documented pattern (expired(), then getToken()) has no single flight", link: `${SO}README.md#L194` },
      "SEC-01": { why: "tokenHost accepts http", link: `${SO}lib/config.js#L32` },
      "SEC-05": { why: "Wreck's error keeps the response payload, error_description included", link: `${SO}lib/client/client.js#L39` },
    },
  },
  "@azure/msal-node": {
    version: "7.2.4",
    byScenario: {
      "REQ-06": { why: "the token request is sent without an Accept header", link: `${MN}network/HttpClient.ts#L118` },
      "AUTH-07,SEC-07": { why: "the assertion's aud is the token endpoint URL and it lives 600 s", link: `${MN}client/ClientAssertion.ts#L136` },
      "AUTH-08": { why: "a certificate assertion is kept and re-sent until it expires", link: `${MN}client/ClientAssertion.ts#L105` },
      "GRANT-07": { why: "scopes are split and joined as given, unchecked", link: `${MC}request/ScopeSet.ts#L64` },
      "RESP-03": { why: "a token without token_type is stored as Bearer", link: `${MC}cache/utils/CacheHelpers.ts#L89` },
      "RESP-04,RESP-05,RESP-06,RESP-08,RESP-11": { why: "the token response is taken as is: no token_type, access_token or status check; a bad expires_in becomes 0", link: `${MC}response/ResponseHandler.ts#L529` },
      "RESP-07,ERR-03,ERR-04,ERR-06": { why: "the network client parses every body as JSON and turns any failure into a token_parsing_error, without the status", link: `${MN}network/HttpClient.ts#L166` },
      "CONC-01,ERR-05": { why: "acquireTokenByClientCredential has no single flight: each caller that misses the cache sends its own request", link: `${MN}client/ClientCredentialClient.ts#L60` },
      "SEC-01": { why: "a token endpoint discovered over http is used", link: `${MC}authority/Authority.ts#L231` },
      "SEC-05": { why: "ServerError's message quotes the server's error_description verbatim", link: `${MC}error/ServerError.ts#L11` },
      "SEC-09": { why: "the network client fetches with the default redirect mode (follow): a 307/308 re-posts the form, client_secret included", link: `${MN}network/HttpClient.ts#L128` },
    },
  },
  "golang.org/x/oauth2": {
    version: "0.3.0 (Debian 0.3.0-1)",
    note: "lines from upstream tag v0.3.0; Debian's 0.3.0-1 ships the same files (token.go, oauth2.go, transport.go, internal/token.go, clientcredentials/clientcredentials.go compared byte for byte)",
    byScenario: {
      "REQ-06": { why: "the token request sets Content-Type only: no Accept header", link: `${GO}internal/token.go#L173` },
      "AUTH-09": { why: "an empty ClientSecret is taken as is: the auth-style probe sends Basic with an empty password, then the form without client_secret; nothing refuses it", link: `${GO}internal/token.go#L189` },
      "GRANT-03": { why: "EndpointParams go into the form as given, unchecked", link: `${GO}clientcredentials/clientcredentials.go#L97` },
      "GRANT-07": { why: "Scopes are joined with spaces as given, unchecked", link: `${GO}clientcredentials/clientcredentials.go#L95` },
      "GRANT-06": { why: "the token has no scope of its own: only the response's raw members (Extra), so an omitted scope stays absent", link: `${GO}token.go#L96` },
      "RESP-03": { why: "Type() answers Bearer when token_type is missing, and the Transport sends it so", link: `${GO}token.go#L71` },
      "RESP-04": { why: "SetAuthHeader writes whatever Type() says (\"MAC <token>\") and the Transport sends it: an unknown token type is used", link: `${GO}token.go#L80` },
      "RESP-06": { why: "expires_in must parse as a whole number: 3600.5 fails the token request", link: `${GO}internal/token.go#L86` },
      "RESP-07": { why: "a 200 body that is not JSON fails with the JSON parser's error, without the status", link: `${GO}internal/token.go#L270` },
      "RESP-11": { why: "any 2xx is a token response", link: `${GO}internal/token.go#L241` },
      "EXP-08,RS-03": { why: "the Transport sends each request once with the cached token: no refresh or retry after a 401", link: `${GO}transport.go#L55` },
      "ERR-03,SEC-05": { why: "RetrieveError's message carries the whole response body (up to 1 MiB), error_description included", link: `${GO}token.go#L177` },
      "ERR-04,ERR-09,FAULT-04,FAULT-05,FAULT-06": { why: "one token request per renewal: no retry, no backoff, Retry-After not read", link: `${GO}internal/token.go#L232` },
      "ERR-05": { why: "ReuseTokenSource serializes callers behind a mutex: the first gets the 429, the next sends its own request (one outcome is not shared)", link: `${GO}oauth2.go#L304` },
      "RS-08,SEC-01,SEC-08": { why: "the Transport sets Authorization on every request it sends, whatever its origin or scheme, a followed redirect included", link: `${GO}transport.go#L51` },
      "SEC-09": { why: "the token request goes through the context's http.Client, whose default redirect policy re-posts the form on 307/308 (Go drops Authorization across hosts, not the body)", link: `${GO}internal/token.go#L232` },
    },
  },
  Authlib: {
    version: "1.2.0 (Debian 1.2.0-1+deb12u2)",
    note: "lines from upstream tag v1.2.0; Debian's 1.2.0-1+deb12u2 patches jose, OpenID Connect and framework-integration files for CVEs, none of the linked files (oauth2/client.py, oauth2/auth.py, oauth2/rfc6749/, oauth2/rfc7523/, integrations/requests_client/ compared byte for byte)",
    byScenario: {
      "AUTH-02,AUTH-10": { why: "the Basic credential is client_id:client_secret as is, not form-encoded first (and latin-1 encoded)", link: `${AL}oauth2/auth.py#L9` },
      "AUTH-09": { why: "\"none\" is a client authentication method like any other: client_id alone, for any grant", link: `${AL}oauth2/auth.py#L25` },
      "AUTH-11": { why: "client assertions live an hour by default", link: `${AL}oauth2/rfc7523/assertion.py#L27` },
      "GRANT-03": { why: "the form is rebuilt as a dict before sending: of repeated resource parameters only the last is sent", link: `${AL}oauth2/client.py#L352` },
      "GRANT-05": { why: "an expired token is renewed with its refresh_token when it has one, client credentials or not", link: `${AL}oauth2/client.py#L261` },
      "GRANT-06,RESP-04": { why: "the token is the response as returned: the granted scope is not filled in, token_type is not checked", link: `${AL}oauth2/client.py#L344` },
      "GRANT-07": { why: "scopes are joined as given, unchecked", link: `${AL}oauth2/rfc6749/parameters.py#L98` },
      "RESP-03": { why: "a token without token_type is used as a bearer token", link: `${AL}oauth2/auth.py#L95` },
      "RESP-05,RESP-07,RESP-08": { why: "the body's JSON is the token unless it has an error member: no check of access_token or of the top level, and a body that is not JSON fails without the status", link: `${AL}oauth2/client.py#L338` },
      "RESP-06,EXP-05": { why: "expires_at is set only from a truthy expires_in: null or 0 means a token that never expires", link: `${AL}oauth2/rfc6749/wrappers.py#L10` },
      "RESP-11,ERR-03": { why: "only a 5xx raises: any other status's JSON body is the token (or its error member the error)", link: `${AL}oauth2/client.py#L335` },
      "ERR-01,SEC-05": { why: "the OAuth error keeps error and error_description (quoted in the message), not the status", link: `${AL}oauth2/client.py#L340` },
      "EXP-02": { why: "a token is expired only once expires_at (whole seconds) has passed: no early renewal", link: `${AL}oauth2/rfc6749/wrappers.py#L19` },
      "EXP-04": { why: "a token without expires_at never expires", link: `${AL}oauth2/rfc6749/wrappers.py#L18` },
      "EXP-08,RS-03": { why: "a session request is sent once: no refresh or retry after a 401", link: `${AL}integrations/requests_client/oauth2_session.py#L109` },
      "CONC-01,ERR-05": { why: "the session renews without a lock or a shared request: every caller that finds no valid token fetches its own", link: `${AL}oauth2/client.py#L256` },
      "ERR-04,ERR-09,FAULT-04,FAULT-05,FAULT-06": { why: "one token request per renewal: no retry, no backoff, Retry-After not read", link: `${AL}oauth2/client.py#L351` },
      "ERR-07,FAULT-03": { why: "default_timeout is requests' timeout, which bounds the connection and each read, not the whole body", link: `${AL}integrations/requests_client/oauth2_session.py#L104` },
      "SEC-01,SEC-08": { why: "the session attaches the token to every request it sends, whatever its origin or scheme", link: `${AL}integrations/requests_client/oauth2_session.py#L108` },
      "SEC-09": { why: "the token request is a requests POST with redirects followed: a 307/308 re-posts the form, client_secret included (requests drops Authorization across hosts, not the body)", link: `${AL}oauth2/client.py#L351` },
    },
  },
  oauth2: {
    version: "1.4.4 (Debian 1.4.4-1+deb12u1)",
    note: "lines from upstream tag v1.4.4; Debian's 1.4.4-1+deb12u1 patches only Client#request's redirect branch (CVE-2026-54603: it drops Authorization, not the body, when a redirect changes origin, where upstream 1.4.4 keeps both), so client.rb lines after 113 sit 7 lower in the Debian file; every other linked file is the same byte for byte",
    byScenario: {
      "REQ-06": { why: "the token request sets Content-Type only: no Accept header (Faraday sends */*)", link: `${RB}client.rb#L141` },
      "AUTH-02,AUTH-10": { why: "the Basic credential is id:secret as is, not form-encoded first", link: `${RB}authenticator.rb#L38` },
      "AUTH-09": { why: "the secret is put in the form as given, a nil one too: nothing refuses a client without one", link: `${RB}authenticator.rb#L46` },
      "GRANT-03": { why: "the parameters go to Faraday as a Hash, whose default nested encoder writes a list as resource[]=…", link: `${RB}client.rb#L140` },
      "GRANT-06": { why: "the token's other members are kept as returned: an omitted scope stays absent", link: `${RB}access_token.rb#L54` },
      "GRANT-07": { why: "parameters are merged as given, unchecked", link: `${RB}strategy/client_credentials.rb#L19` },
      "RESP-03,RESP-04": { why: "an AccessToken is sent as \"Bearer %s\" whatever token_type said, or without one", link: `${RB}access_token.rb#L52` },
      "RESP-05": { why: "only a missing access_token is refused: an empty string is truthy in Ruby", link: `${RB}client.rb#L148` },
      "RESP-06": { why: "expires_in goes through to_i unchecked: \"abc\" becomes 0", link: `${RB}access_token.rb#L48` },
      "RESP-11": { why: "any 2xx (and a 3xx it does not follow) is a response to take the token from", link: `${RB}client.rb#L115` },
      "EXP-02": { why: "a token is expired only once its whole second has passed: no early renewal, and up to a second of use after expiry", link: `${RB}access_token.rb#L75` },
      "EXP-04": { why: "a token without expires_in never expires", link: `${RB}access_token.rb#L68` },
      "EXP-08,RS-03,SEC-01,SEC-08": { why: "AccessToken#request attaches the token to any URL, http included, and sends once: no refresh or retry after a 401", link: `${RB}access_token.rb#L106` },
      "CONC-01,ERR-05": { why: "the gem keeps no token: each get_token is a request of its own, with no single flight", link: `${RB}strategy/client_credentials.rb#L20` },
      "ERR-03,SEC-05": { why: "OAuth2::Error's message is error_description followed by the whole response body", link: `${RB}error.rb#L17` },
      "ERR-04,ERR-09,FAULT-04,FAULT-05,FAULT-06": { why: "one request per token: no retry, no backoff, Retry-After not read", link: `${RB}client.rb#L99` },
      "ERR-07,FAULT-03": { why: "Faraday's timeouts (Net::HTTP's) bound the connection and each read, not the whole body", link: `${RB}client.rb#L57` },
      "SEC-09": { why: "Client#request follows a 307 itself and sends the same body again, client_secret included, to the new location (Debian's patch drops only Authorization)", link: `${RB}client.rb#L106` },
    },
  },
};

/** The finding for one subject's scenario, with the version it was traced at. */
export function findingFor(subject: string, id: string, findings: Readonly<Record<string, PeerFindings>> = FINDINGS): (Finding & { version: string }) | undefined {
  const peer = findings[subject];
  if (!peer) return undefined;
  for (const [keys, finding] of Object.entries(peer.byScenario)) {
    if (keys.split(",").map((k) => k.trim()).includes(id)) return { ...finding, version: peer.version };
  }
  return undefined;
}
