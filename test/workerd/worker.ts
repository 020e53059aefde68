// A module worker for the workerd tests: one keeper shared by every request, as a real Worker
// would, created at module scope (or, with CREATE=lazy, by the first request). It exports the
// Durable Object class of tokenkeeper/stores/durable-object, bound as TOKEN_STORE. Bindings:
// TOKEN_ORIGIN (the test's token server), TIMEOUT_MS (the keeper's `timeoutMs`), STORE
// ("durable-object" shares tokens through TOKEN_STORE),
// WAIT_UNTIL ("yes" hands background work to `waitUntil`), MODE ("naive" swaps in a naive
// module-level single flight, the control that proves the hang is real).
import { env, waitUntil } from "cloudflare:workers";
import { clock, createTokenKeeper, type TokenKeeper, type TokenKeeperOptions } from "../../mod.ts";
import { type DurableObjectNamespaceLike, durableObjectStore } from "../../src/stores/durable-object.ts";

export { TokenStoreObject } from "../../src/stores/durable-object.ts";

const origin = env["TOKEN_ORIGIN"] ?? "";
let offsetMs = 0;
const handedToWaitUntil: string[] = [];
const events: string[] = [];

const options: TokenKeeperOptions = {
  tokenEndpoint: `${origin}/token`,
  clientId: "worker-client",
  clientSecret: "worker-secret",
  retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50 },
  ...(env["TIMEOUT_MS"] ? { timeoutMs: Number(env["TIMEOUT_MS"]) } : {}),
  onEvent: (event) => void events.push(event.type === "token_request_started" && event.background ? "background_refresh_started" : event.type),
  // workerd's own clock (it moves only on I/O), plus an offset the test moves.
  [clock]: { now: () => Date.now() + offsetMs },
};
if (env["STORE"] === "durable-object") {
  options.store = durableObjectStore((env as unknown as { TOKEN_STORE: DurableObjectNamespaceLike }).TOKEN_STORE);
}
if (env["WAIT_UNTIL"] === "yes") {
  options.waitUntil = (promise) => {
    handedToWaitUntil.push(promise instanceof Promise ? "promise" : typeof promise);
    waitUntil(promise);
  };
}
let keeper: TokenKeeper | undefined = env["CREATE"] === "lazy" ? undefined : createTokenKeeper(options);

// The control: what a naive module-level cache does. Not tokenkeeper.
let naiveFlight: Promise<string> | undefined;
function naiveToken(): Promise<string> {
  naiveFlight ??= fetch(`${origin}/token`, { method: "POST", body: "grant_type=client_credentials" })
    .then((r) => r.json() as Promise<{ access_token: string }>)
    .then((body) => body.access_token)
    .finally(() => (naiveFlight = undefined));
  return naiveFlight;
}

function getToken(signal?: AbortSignal): Promise<string> {
  if (env["MODE"] === "naive") return naiveToken();
  keeper ??= createTokenKeeper(options);
  return keeper.getToken(signal ? { signal } : {}).then((t) => t.accessToken);
}

function describe(error: unknown): string {
  const e = error as { name?: string; code?: string; message?: string };
  return `${e?.name ?? typeof error}${e?.code ? ` ${e.code}` : ""}: ${e?.message ?? String(error)}`;
}

type Outcome = { token: string } | { error: string };
const settle = (promise: Promise<string>): Promise<Outcome> =>
  promise.then((token) => ({ token }), (error: unknown) => ({ error: describe(error) }));

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const q = (name: string): string => url.searchParams.get(name) ?? "";
    switch (url.pathname) {
      case "/token": {
        // getToken() starts before the mark goes out: once the test sees the mark, this request
        // is waiting for its token.
        const outcome = settle(getToken());
        if (q("mark")) await (await fetch(`${origin}/mark?name=${q("mark")}`)).text();
        return Response.json(await outcome);
      }
      case "/abandon": {
        // Waits for a token until the test answers `/hold`, then gives up and ends.
        const controller = new AbortController();
        const outcome = settle(getToken(controller.signal));
        const held = fetch(`${origin}/hold?name=${q("hold")}`).then((r) => r.text()).then(() => controller.abort());
        const gaveUp = held.then((): Outcome => ({ error: "gave up waiting" }));
        const result = await Promise.race([outcome, gaveUp]);
        return Response.json(result, { status: "token" in result ? 200 : 504 });
      }
      case "/wait-then-token": {
        // Token, then I/O the test holds for longer than the token lives, then token again.
        const first = await settle(getToken());
        const before = Date.now();
        await (await fetch(`${origin}/hold?name=${q("hold")}`)).text();
        const movedMs = Date.now() - before;
        const second = await settle(getToken());
        return Response.json({ first, second, movedMs });
      }
      case "/advance":
        offsetMs += Number(q("ms"));
        return Response.json({ offsetMs });
      case "/state":
        return Response.json({ handedToWaitUntil, events });
      default:
        return new Response("not found", { status: 404 });
    }
  },
};
