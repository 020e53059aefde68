// The --help texts. The exit-code table is printed from exit-codes.ts, so it cannot drift.
import { EXIT, EXIT_BY_ERROR_CODE } from "./exit-codes.ts";

/** The configuration `token` and `doctor` share, with a command's own options before `--help`. */
const configuration = (ownOptions = ""): string => `Configuration, from the environment (an option overrides its variable):
  TOKENKEEPER_TOKEN_ENDPOINT      the token endpoint URL                 --token-endpoint <url>
  TOKENKEEPER_ISSUER              or the issuer to discover it from      --issuer <url>
  TOKENKEEPER_CLIENT_ID           the client id                          --client-id <id>
  TOKENKEEPER_CLIENT_SECRET       the client secret (never an option), or
  TOKENKEEPER_CLIENT_SECRET_FILE  a file that holds it                   --client-secret-file <path>
                                  or standard input                      --client-secret-stdin
  TOKENKEEPER_PRIVATE_KEY_FILE    a PEM or JWK private key               --private-key-file <path>

Options:
  --auth <method>          client_secret_post (the default), client_secret_basic, client_secret_jwt
                           or private_key_jwt (the default when only a private key is given)
  --key-id <kid>           the kid put in private_key_jwt assertions (default: the JWK's kid)
  --scope <scope>          scope to ask for; repeatable, and a space-separated list works too
  --resource <uri>         a resource indicator (RFC 8707); repeatable
  --param <name=value>     an extra token request parameter, such as audience=api; repeatable
  --timeout-ms <ms>        deadline of one token request attempt (default 10000)
  --dangerously-allow-http <host:port>
                           allow plain http to this host: a development server, never a real one
${ownOptions}  --help                   this text

A server with a private CA: NODE_EXTRA_CA_CERTS=/path/to/ca.pem tokenkeeper …`;

/** `tokenkeeper --help`. */
export const MAIN_HELP: string = `usage: tokenkeeper <command> [options]

Commands:
  token         get an access token and print it (for scripts and curl)
  doctor        check the configuration, the network and the token endpoint, step by step
  conformance   grade a client library with @tokenkeeper/conformance (installed separately)

tokenkeeper <command> --help shows each command's options; tokenkeeper --version the version.

Exit codes:
${exitTable()}
`;

/** `tokenkeeper token --help`. */
export const TOKEN_HELP: string = `usage: tokenkeeper token [options]

Gets an access token with the client credentials grant and prints it alone on stdout:
  curl -H "Authorization: Bearer $(tokenkeeper token)" https://api.example.com/v1/things
Errors go to stderr; the exit code says which (tokenkeeper --help lists them).

Tokens are cached between runs, so a script that runs this often sends one token request per
token lifetime: a cached token is printed until it nears expiry (the last quarter of its lifetime
or the last 5 minutes, whichever is shorter, plus jitter), then a new one is requested. The cache is one file in
$XDG_CACHE_HOME/tokenkeeper, else ~/.cache/tokenkeeper (~/Library/Caches/tokenkeeper on macOS),
mode 0600 in a folder of mode 0700 (looser modes are repaired with a warning). Tokens in it are
encrypted with a key derived from the client secret or private key, which it does not hold, and it
names no client: only the same endpoint, client id, credential, scope, resource and parameters get
a cached token back. --no-cache neither reads nor writes it.

${configuration("  --json                   print the token type, expiry, scope and the token as JSON\n  --no-cache               request a new token; do not read or write the token cache\n")}
`;

/** `tokenkeeper doctor --help`. */
export const DOCTOR_HELP: string = `usage: tokenkeeper doctor [options]

Checks the same configuration as "tokenkeeper token", step by step, and says what it finds in
plain words: DNS, TLS, discovery and the client authentication methods the server advertises,
the token request and its response (status, content type, token_type, expires_in, scope granted
versus asked), a JWT access token's exp, aud and iat against expires_in, and the clocks (the
server's Date header). It never prints the client secret or the token (only a short hash).

Exit code 0 only when a token was obtained and nothing is wrong; 1 when a token was obtained but
something is; otherwise the code of what failed (tokenkeeper --help lists them).

${configuration()}
`;

/** `tokenkeeper conformance --help`. */
export const CONFORMANCE_HELP: string = `usage: tokenkeeper conformance --subject <name|path> [options]

Grades an OAuth 2.0 client-credentials client library against the fake authorization server of
@tokenkeeper/conformance, which is installed separately:
  npm install -D @tokenkeeper/conformance

  --subject <name|path>    a built-in subject (tokenkeeper, oauth4webapi, openid-client, …) or
                           an adapter module; a relative path resolves from this folder
  --only <ID,ID>           run these scenarios only
  --format <format>        table (default), markdown or json
  --json <file>            where the JSON report goes (default reports/conformance-<subject>.json)
  --fake-timers            grade a subject that reads the global Date in fake-timers mode

Exit codes: 0 conformant, 1 a MUST scenario failed, 2 unusable run or bad arguments,
${EXIT.notInstalled} @tokenkeeper/conformance is not installed.
`;

function exitTable(): string {
  const rows: [number, string][] = [
    [EXIT.ok, "success (doctor: a token was obtained and nothing is wrong)"],
    [EXIT.problems, "doctor: a token was obtained, but something is wrong"],
    [EXIT.usage, "bad arguments or configuration; nothing was sent"],
    ...Object.entries(EXIT_BY_ERROR_CODE).map(([code, exit]): [number, string] => [exit, code]),
    [EXIT.notInstalled, "conformance: @tokenkeeper/conformance is not installed"],
    [EXIT.internal, "an unexpected error (a bug: please report it)"],
  ];
  return rows.map(([exit, meaning]) => `  ${String(exit).padStart(3)}  ${meaning}`).join("\n");
}
