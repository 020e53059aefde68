// The conformance suite's fake authorization server over real sockets: HTTPS on loopback with a
// certificate from a throwaway CA (conformance/node/tls.ts), which a command trusts through
// NODE_EXTRA_CA_CERTS, as a user with a private CA would.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFakeServer, type FakeServer, type Script } from "../../conformance/fake/server.ts";
import { listen } from "../../conformance/node/http.ts";
import { makeCertificates } from "../../conformance/node/tls.ts";

/** A client secret with characters that every encoding spells differently. */
export const SECRET = "SENTINEL_SECRET_cli+/=%&?é~ \"x";
/** The registered client id. */
export const CLIENT_ID = "cli-client";

type Certificates = NonNullable<ReturnType<typeof makeCertificates>>;
let certificates: { certs: Certificates; caFile: string; dir: string } | undefined;

/** The throwaway CA and its certificates, made once per process (30 days, so none is near expiry). */
export function testCa(): { certs: Certificates; caFile: string } {
  if (!certificates) {
    const certs = makeCertificates(30);
    if (!certs) throw new Error("openssl is needed to make the test CA");
    const dir = mkdtempSync(join(tmpdir(), "tokenkeeper-cli-ca-"));
    const caFile = join(dir, "ca.pem");
    writeFileSync(caFile, certs.ca);
    certificates = { certs, caFile, dir };
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return certificates;
}

/** A fake authorization server listening on https://localhost:<port>. */
export interface RunningServer {
  /** The issuer, `https://localhost:<port>`. */
  readonly url: string;
  /** The token endpoint, `<url>/token`. */
  readonly tokenEndpoint: string;
  /** The fake server: its recorded requests and issued tokens. */
  readonly fake: FakeServer;
  /** Stops listening. */
  close(): Promise<void>;
}

/**
 * Starts the fake authorization server over HTTPS (over plain http on loopback with `"none"`).
 *
 * @param script The scenario script (the issuer is filled in); the client defaults to
 *   {@link CLIENT_ID} with {@link SECRET}, post or basic.
 * @param certificate Which certificate the server presents.
 */
export async function startServer(script: Omit<Script, "issuer"> = {}, certificate: "trusted" | "expired" | "selfSigned" | "wrongHost" | "none" = "trusted"): Promise<RunningServer> {
  const { certs } = testCa();
  let fake: FakeServer | undefined;
  const listening = await listen((request, env) => fake!.app.fetch(request, env), certificate === "none" ? undefined : certs[certificate]);
  // The command's tests read 5-minute tokens; the fake's own default lifetime is an hour.
  fake = createFakeServer({ client: { id: CLIENT_ID, secret: SECRET, methods: ["client_secret_post", "client_secret_basic"] }, expiresIn: 300, ...script, issuer: listening.url });
  return { url: listening.url, tokenEndpoint: `${listening.url}/token`, fake, close: listening.close };
}
