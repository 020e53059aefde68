// GitHub Actions' OIDC token endpoint, as a profile of the one fake server (conformance/fake/
// server.ts): what a job with `permissions: id-token: write` reaches through ACTIONS_ID_TOKEN_REQUEST_URL
// (https://docs.github.com/en/actions/reference/security/oidc): a GET of that URL with
// `&audience=<audience>` and `Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN` answers
// `{ "count": …, "value": "<JWT>" }`, a JWT signed by https://token.actions.githubusercontent.com
// (RS256) with the repository in `sub` (`repo:<owner>/<repo>:ref:<ref>`), the audience asked for
// (default: the repository owner's URL), and five minutes of life.
import { SignJWT } from "jose";
import type { FakeClock } from "../../conformance/fake/clock.ts";
import { createFakeServer, type FakeServer } from "../../conformance/fake/server.ts";

export const GITHUB_OIDC_ISSUER = "https://token.actions.githubusercontent.com";
/** The host of ACTIONS_ID_TOKEN_REQUEST_URL (the real one has a number in its first label). */
export const GITHUB_PIPELINES = "https://pipelines.actions.githubusercontent.com";

/** The fake, and what a job's environment would hold. */
export interface GitHubActionsFake extends FakeServer {
  /** ACTIONS_ID_TOKEN_REQUEST_URL: it has a query already (`api-version`). */
  readonly requestUrl: string;
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  readonly requestToken: string;
  /** The issuer's public key, to register as a federated credential's key. */
  readonly publicKey: CryptoKey;
  /** The `sub` of the tokens it issues. */
  readonly subject: string;
  /** The JWTs it issued. */
  readonly tokens: string[];
}

/**
 * GitHub Actions' OIDC endpoint for one job of `repository`.
 *
 * @param options The repository and ref (the token's `sub`), and the clock (default: real time).
 * @returns The fake.
 */
export async function githubActions(options: { repository?: string; ref?: string; clock?: FakeClock } = {}): Promise<GitHubActionsFake> {
  const { repository = "octo-org/octo-repo", ref = "refs/heads/main" } = options;
  const keys = await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, false, ["sign", "verify"]) as CryptoKeyPair;
  const requestToken = `ghs_${crypto.randomUUID().replaceAll("-", "")}`;
  const plan = crypto.randomUUID();
  const requestUrl = `${GITHUB_PIPELINES}/00000000-0000-0000-0000-000000000000/_apis/distributedtask/hubs/Actions/plans/${plan}/jobs/${crypto.randomUUID()}/idtoken?api-version=2.0`;
  const subject = `repo:${repository}:ref:${ref}`;
  const tokens: string[] = [];
  const fake = createFakeServer({
    ...(options.clock ? { clock: options.clock } : {}),
    issuer: GITHUB_OIDC_ISSUER,
    metadataAt: ["oidc"],
    resourceOrigins: [],
    origins: {
      [GITHUB_PIPELINES]: async (req) => {
        if (req.method !== "GET" || requestUrl.split("?")[0] !== `${req.origin}${req.path}`) return { status: 404, body: "" };
        if (!/^bearer /i.test(req.header("authorization") ?? "") || req.header("authorization")!.slice(7) !== requestToken) {
          req.problems.push("no or wrong ACTIONS_ID_TOKEN_REQUEST_TOKEN");
          return { status: 401, json: { message: "Unauthorized" } };
        }
        const query = new URLSearchParams(req.query);
        if (query.get("api-version") !== "2.0") req.problems.push("the request URL's own query was not kept");
        const now = Math.floor(fake.clock.now() / 1000);
        const jwt = await new SignJWT({ repository, ref, repository_owner: repository.split("/")[0], job_workflow_ref: `${repository}/.github/workflows/deploy.yml@${ref}` })
          .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "github-actions-test" })
          .setIssuer(GITHUB_OIDC_ISSUER)
          .setSubject(subject)
          .setAudience(query.get("audience") ?? `https://github.com/${repository.split("/")[0]}`)
          .setJti(crypto.randomUUID())
          .setIssuedAt(now)
          .setNotBefore(now - 5)
          .setExpirationTime(now + 300)
          .sign(keys.privateKey);
        tokens.push(jwt);
        fake.secrets.add(jwt);
        return { json: { count: jwt.length, value: jwt } };
      },
    },
  }) as GitHubActionsFake;
  fake.secrets.add(requestToken);
  Object.assign(fake, { requestUrl, requestToken, publicKey: keys.publicKey, subject, tokens });
  return fake;
}
