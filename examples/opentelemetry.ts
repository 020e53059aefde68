// onEvent to OpenTelemetry, through @opentelemetry/api only: a span per token request (retries as
// span events), a counter of token requests by outcome, their duration, and the tokens served
// from cache. Whatever SDK and exporter the application set up receives them; with none, the API
// is a no-op. (In CI, examples/shared/otel-memory.ts records them instead.)
import { metrics, type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import { createTokenKeeper, type TokenKeeperEvent } from "tokenkeeper";

const tracer = trace.getTracer("tokenkeeper");
const meter = metrics.getMeter("tokenkeeper");
const tokenRequests = meter.createCounter("tokenkeeper.token_requests", { description: "Token requests, by outcome" });
const requestDuration = meter.createHistogram("tokenkeeper.token_request.duration", { unit: "ms" });
const tokensServed = meter.createCounter("tokenkeeper.tokens_served", { description: "Tokens served from memory or the store" });
const openSpans = new Map<string, Span>(); // a keeper runs one token request per key at a time

function recordEvent(event: TokenKeeperEvent): void {
  const attributes = { "tokenkeeper.key": event.key, ...(event.name === undefined ? {} : { "tokenkeeper.name": event.name }) };
  const span = openSpans.get(event.key);
  switch (event.type) {
    case "token_request_started":
      openSpans.set(event.key, tracer.startSpan("tokenkeeper token request", { attributes: { ...attributes, "tokenkeeper.refresh": event.refresh } }));
      break;
    case "retry_scheduled":
      span?.addEvent("retry scheduled", { "tokenkeeper.attempt": event.attempt, "tokenkeeper.delay_ms": event.delayMs, "error.type": event.code });
      break;
    case "token_fetched":
      tokenRequests.add(1, { ...attributes, outcome: "fetched" });
      requestDuration.record(event.durationMs, attributes);
      span?.setAttribute("tokenkeeper.attempts", event.attempts).end();
      openSpans.delete(event.key);
      break;
    case "token_request_failed":
      tokenRequests.add(1, { ...attributes, outcome: "failed", "error.type": event.code });
      span?.setStatus({ code: SpanStatusCode.ERROR, message: event.error ?? event.code }).end();
      openSpans.delete(event.key);
      break;
    case "token_served":
      tokensServed.add(1, { ...attributes, "tokenkeeper.source": event.source });
      break;
  }
}

const api = createTokenKeeper({
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
  baseUrl: "https://api.example.com",
  name: "billing-api",
  onEvent: recordEvent,
});

for (const path of ["/v2/accounts", "/v2/offers"]) {
  const res = await api.fetch(path);
  console.log(await res.json());
}
