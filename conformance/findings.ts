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
