// onEvent to OpenTelemetry, through @opentelemetry/api only: a span per token request (retries
// as span events, a failure as an error status), and metrics: token requests by outcome, their
// duration, and tokens served from memory or the store. Whatever SDK and exporter the application
// set up receives them; with none, the API is a no-op. (In CI, examples/shared/otel-memory.ts
// records them instead.)
import { metrics, type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import { createTokenKeeper, type TokenKeeperEvent, type TokenKeeperOptions } from "tokenkeeper";

const options = {
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
  baseUrl: "https://api.example.com",
} satisfies TokenKeeperOptions;

const tracer = trace.getTracer("tokenkeeper");
const openSpans = new Map<number, Span>(); // by token request: its events carry its number

function traceEvent(event: TokenKeeperEvent): void {
  if (event.type === "token_request_started") {
    openSpans.set(event.request, tracer.startSpan("tokenkeeper token request", { attributes: { "tokenkeeper.key": event.key, "tokenkeeper.refresh": event.refresh } }));
  } else if (event.type === "retry_scheduled" && event.request !== undefined) {
    openSpans.get(event.request)?.addEvent("retry scheduled", { "tokenkeeper.attempt": event.attempt, "error.type": event.code });
  } else if ((event.type === "token_fetched" || event.type === "token_request_failed" || event.type === "token_served") && event.request !== undefined) {
    // A token request closes with a token from the endpoint, one from the shared store, or a failure.
    const span = openSpans.get(event.request);
    openSpans.delete(event.request);
    if (event.type === "token_request_failed") span?.setStatus({ code: SpanStatusCode.ERROR, message: event.error ?? event.code });
    span?.end();
  }
}

const meter = metrics.getMeter("tokenkeeper");
const tokenRequests = meter.createCounter("tokenkeeper.token_requests", { description: "Token requests, by outcome" });
const requestDuration = meter.createHistogram("tokenkeeper.token_request.duration", { unit: "ms" });
const tokensServed = meter.createCounter("tokenkeeper.tokens_served", { description: "Tokens served from memory or the store" });

function countEvent(event: TokenKeeperEvent): void {
  const attributes = { "tokenkeeper.key": event.key, "tokenkeeper.name": event.name ?? "" };
  if (event.type === "token_fetched") {
    tokenRequests.add(1, { ...attributes, outcome: "fetched" });
    requestDuration.record(event.durationMs, attributes);
  } else if (event.type === "token_request_failed") {
    tokenRequests.add(1, { ...attributes, outcome: "failed", "error.type": event.code });
  } else if (event.type === "token_served") {
    tokensServed.add(1, { ...attributes, "tokenkeeper.source": event.source });
  }
}

const api = createTokenKeeper({ ...options, name: "billing-api", onEvent: (event) => {
  traceEvent(event);
  countEvent(event);
} });

for (const path of ["/v2/accounts", "/v2/offers"]) {
  const res = await api.fetch(path);
  console.log(await res.json());
}
