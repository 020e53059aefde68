/** One challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1). */
export interface Challenge {
  /** The auth scheme, lowercased (`bearer`, `dpop`, `basic`, …). */
  readonly scheme: string;
  /** Auth parameters, names lowercased, quoted values unescaped. */
  readonly parameters: Readonly<Record<string, string>>;
}

const token = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
const schemeRE = new RegExp(`^[,\\s]*(${token})(?=$|[\\s,])\\s*`);
const paramRE = new RegExp(`^(${token})\\s*=\\s*(?:"((?:[^"\\\\]|\\\\[\\s\\S])*)"|(${token}))\\s*(?:,\\s*|$)`);
const token68RE = /^[A-Za-z0-9\-._~+/]+=*\s*(?:,\s*|$)/;
const maxHeaderLength = 8_192;

/**
 * Parses a `WWW-Authenticate` header into challenges. Never throws: malformed input yields the
 * challenges parsed before the damage (possibly none). Parameters of a challenge are those that
 * follow its scheme up to the next scheme.
 *
 * @param header The header value, or `null`.
 * @returns The challenges, in order.
 */
export function parseChallenges(header: string | null): Challenge[] {
  const challenges: Challenge[] = [];
  if (header === null) return challenges;
  let rest = header.slice(0, maxHeaderLength);
  while (rest.length > 0) {
    const scheme = schemeRE.exec(rest);
    if (scheme === null) break;
    rest = rest.slice(scheme[0].length);
    const parameters: Record<string, string> = Object.create(null);
    for (;;) {
      const param = paramRE.exec(rest);
      if (param !== null) {
        parameters[param[1]!.toLowerCase()] = param[2] !== undefined ? param[2].replace(/\\([\s\S])/g, "$1") : param[3]!;
        rest = rest.slice(param[0].length);
        continue;
      }
      const token68 = Object.keys(parameters).length === 0 ? token68RE.exec(rest) : null;
      if (token68 !== null && !new RegExp(`^${token}\\s*=\\s*[^=]`).test(rest)) rest = rest.slice(token68[0].length);
      break;
    }
    challenges.push({ scheme: scheme[1]!.toLowerCase(), parameters });
  }
  return challenges;
}

/** The first `Bearer` or `DPoP` challenge's parameters, if any. */
export function tokenChallenge(challenges: readonly Challenge[]): Readonly<Record<string, string>> | undefined {
  return challenges.find((c) => c.scheme === "bearer" || c.scheme === "dpop")?.parameters;
}
