// The command's own words for what is wrong with a setting: URL settings are checked here before
// the library sees them, without repeating the value (a secret pasted into the wrong option must
// not come back on stderr), and the library's own option errors are retold with the command's
// flags and variables in place of the library's option names.
import { UsageError } from "./args.ts";

/** Where the settings that have more than one source came from, by flag or variable name. */
export interface SettingNames {
  /** `--token-endpoint`, `--issuer`, `TOKENKEEPER_TOKEN_ENDPOINT` or `TOKENKEEPER_ISSUER`. */
  readonly endpoint: string;
  /** `--client-id` or `TOKENKEEPER_CLIENT_ID`. */
  readonly clientId: string;
  /** Where the client secret or private key came from. */
  readonly credential: string;
  /** The endpoint's `host:port`, for the plain-http hint. */
  readonly host?: string;
}

/**
 * Checks a token endpoint or issuer URL: absolute, http or https, no user name or password, no
 * fragment. The message names the setting, never the value.
 *
 * @param value The value as given.
 * @param from The flag or variable it came from.
 * @returns The parsed URL.
 * @throws {UsageError} When the value is not such a URL.
 */
export function checkEndpointUrl(value: string, from: string): URL {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) throw new UsageError(`${from} must be an absolute https URL`);
  if (url.username !== "" || url.password !== "") {
    throw new UsageError(`${from} must not carry a user name or password: the client id and secret go in TOKENKEEPER_CLIENT_ID and TOKENKEEPER_CLIENT_SECRET`);
  }
  if (url.hash !== "") throw new UsageError(`${from} must not have a fragment (#…)`);
  return url;
}

/**
 * Checks resource indicators: absolute URIs without a fragment (RFC 8707 §2). The message says
 * which one by position, never its value.
 *
 * @param values The `--resource` values, in order.
 * @throws {UsageError} For the first value that is not such a URI.
 */
export function checkResources(values: readonly string[]): void {
  values.forEach((value, i) => {
    if (!URL.canParse(value) || value.includes("#")) {
      throw new UsageError(`--resource${values.length > 1 ? ` (the ${ordinal(i + 1)})` : ""} must be an absolute URI without a fragment (RFC 8707 §2)`);
    }
  });
}

function ordinal(n: number): string {
  return n === 1 ? "1st" : n === 2 ? "2nd" : n === 3 ? "3rd" : `${n}th`;
}

/** The library's option names at the start of its messages, and the setting each is here. */
const OPTIONS: readonly (readonly [RegExp, (names: SettingNames) => string])[] = [
  [/^tokenEndpoint: discover\(\):\s*/, (n) => n.endpoint],
  [/^discover:\s*/, (n) => n.endpoint],
  [/^tokenEndpoint:\s*/, (n) => n.endpoint],
  [/^clientId:\s*/, (n) => n.clientId],
  [/^(?:clientSecret\w*|clientAuth|privateKeyJwt|clientSecret(?: and| or) clientAuth):\s*/, (n) => n.credential],
  [/^scope:\s*/, () => "--scope"],
  [/^resource:\s*/, () => "--resource"],
  [/^tokenParameters(?:\.[^:]*)?:\s*/, () => "--param"],
  [/^timeoutMs:\s*/, () => "--timeout-ms"],
  [/^dangerouslyAllowHttp:\s*/, () => "--dangerously-allow-http"],
];

/** Library names that may appear inside a message, and what the command calls them. */
const WORDS: readonly (readonly [RegExp, (names: SettingNames) => string])[] = [
  [/\bdangerouslyAllowHttp\b/g, () => "--dangerously-allow-http"],
  [/\btokenEndpoint\b/g, (n) => n.endpoint],
  [/\bclientId\b/g, (n) => n.clientId],
  [/\btokenParameters\b/g, () => "--param"],
  [/\btimeoutMs\b/g, () => "--timeout-ms"],
  [/\bclientSecret\b/g, () => "the client secret"],
];

/**
 * Puts the command's flags and variables in place of the library's option names in a message
 * (the library's hints say "check tokenEndpoint"; the command's user set --token-endpoint).
 *
 * @param message A library message.
 * @param names Where the settings came from.
 * @returns The message in the command's terms.
 */
export function inCommandWords(message: string, names: SettingNames): string {
  return WORDS.reduce((text, [word, name]) => text.replace(word, name(names)), message);
}

/**
 * Retells a `TypeError` or `RangeError` of the library's option checks in the command's terms:
 * the flag or variable instead of the option name, without the value the library quotes (`got
 * …`) or its hints about its own options, plus the command's own hint for plain http.
 *
 * @param error The library's error.
 * @param names Where the settings came from.
 * @returns A usage error naming the command's flags and variables.
 * @example A plain-http endpoint
 * ```ts
 * inFlagTerms(new TypeError('tokenEndpoint: must use https, got "http://dev:8080/t" (…)'), names);
 * // --token-endpoint: must use https; --dangerously-allow-http dev:8080 allows plain http to a development server
 * ```
 */
export function inFlagTerms(error: Error, names: SettingNames): UsageError {
  let message = error.message;
  let setting = "the configuration";
  for (const [prefix, name] of OPTIONS) {
    const match = prefix.exec(message);
    if (match === null) continue;
    setting = name(names);
    message = message.slice(match[0].length);
    break;
  }
  message = inCommandWords(message.replace(/,? got [\s\S]*$/, ""), names);
  if (/^must use https/.test(message) && names.host !== undefined) {
    message += `; --dangerously-allow-http ${names.host} allows plain http to a development server`;
  }
  return new UsageError(`${setting}: ${message}`);
}
