// mTLS (RFC 8705) on Cloudflare Workers: an mtls_certificates binding (wrangler.toml beside this
// file) has a fetch with the global fetch's signature that presents the uploaded client
// certificate on every connection. Given as the keeper's fetch, it carries the token request
// (tls_client_auth) and the API calls, so a certificate-bound token reaches the API over the same
// certificate. https://developers.cloudflare.com/workers/runtime-apis/bindings/mtls/
// CI type-checks this file and runs it in workerd with the binding played by a Node service that
// presents the certificate: Miniflare cannot present a client certificate itself. More: docs/mtls.md.
import * as oauth from "oauth4webapi";
import { createTokenKeeper, customClientAuth, type TokenKeeper } from "tokenkeeper";

interface Env {
  /** The mtls_certificates binding. */
  CLIENT_CERT: { fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> };
  TOKEN_ENDPOINT: string;
  API_BASE_URL: string;
  CLIENT_ID: string;
}

let api: TokenKeeper | undefined;

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    api ??= createTokenKeeper({
      tokenEndpoint: env.TOKEN_ENDPOINT,
      clientId: env.CLIENT_ID,
      clientAuth: customClientAuth("tls_client_auth", oauth.TlsClientAuth()),
      baseUrl: env.API_BASE_URL,
      fetch: (input, init) => env.CLIENT_CERT.fetch(input, init), // every connection presents the certificate
    });
    await api.getToken({ waitUntil: ctx.waitUntil.bind(ctx) });
    return api.fetch(`/v2${new URL(request.url).pathname}`);
  },
};
