// Loaded before examples/opentelemetry.ts in CI (`node --import`): registers a tiny in-memory
// tracer provider and meter provider with @opentelemetry/api, and before the process exits prints
// one line per ended span and per metric data point ("otel span …", "otel metric …"), which the
// runner checks. An application registers the OpenTelemetry SDK instead.
import {
  type Attributes,
  type Counter,
  createNoopMeter,
  type Histogram,
  INVALID_SPAN_CONTEXT,
  type Meter,
  metrics,
  type Span,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";

const lines: string[] = [];
const show = (attributes: Attributes | undefined): string => JSON.stringify(attributes ?? {});

class MemorySpan implements Span {
  #name: string;
  #attributes: Attributes;
  #status: SpanStatus = { code: SpanStatusCode.UNSET };
  #events: string[] = [];
  #ended = false;

  constructor(name: string, options: SpanOptions | undefined) {
    this.#name = name;
    this.#attributes = { ...options?.attributes };
  }
  spanContext(): SpanContext {
    return INVALID_SPAN_CONTEXT;
  }
  setAttribute(key: string, value: Attributes[string]): this {
    if (value !== undefined) this.#attributes[key] = value;
    return this;
  }
  setAttributes(attributes: Attributes): this {
    Object.assign(this.#attributes, attributes);
    return this;
  }
  addEvent(name: string): this {
    this.#events.push(name);
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.#status = status;
    return this;
  }
  updateName(name: string): this {
    this.#name = name;
    return this;
  }
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const status = SpanStatusCode[this.#status.code];
    lines.push(`otel span "${this.#name}" status=${status} events=${JSON.stringify(this.#events)} attributes=${show(this.#attributes)}`);
  }
  isRecording(): boolean {
    return !this.#ended;
  }
  recordException(): void {}
}

const tracer: Tracer = {
  startSpan: (name, options) => new MemorySpan(name, options),
  startActiveSpan: ((name: string, ...rest: unknown[]) => {
    const fn = rest.at(-1) as (span: Span) => unknown;
    return fn(new MemorySpan(name, rest.length > 1 ? (rest[0] as SpanOptions) : undefined));
  }) as Tracer["startActiveSpan"],
};

const meter: Meter = Object.assign(Object.create(createNoopMeter()) as Meter, {
  createCounter(name: string): Counter {
    return { add: (value: number, attributes?: Attributes) => void lines.push(`otel metric ${name} add ${value} ${show(attributes)}`) };
  },
  createHistogram(name: string): Histogram {
    return { record: (value: number, attributes?: Attributes) => void lines.push(`otel metric ${name} record ${typeof value} ${show(attributes)}`) };
  },
});

trace.setGlobalTracerProvider({ getTracer: () => tracer });
metrics.setGlobalMeterProvider({ getMeter: () => meter });

process.once("beforeExit", () => {
  for (const line of lines) console.log(line);
});
