// The few members of oidc-provider 8 these tests use (the package ships no types; @types/oidc-provider
// would bring @types/koa and its tree for four members).
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  /** A stored client-credentials access token. */
  interface ClientCredentialsToken {
    readonly clientId: string;
    readonly scope?: string;
    readonly isExpired: boolean;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (...args: unknown[]) => void): this;
    readonly ClientCredentials: { find(value: string): Promise<ClientCredentialsToken | undefined> };
  }
}
