// Runtime-neutral fetch probe: how this runtime's fetch handles manual and followed redirects,
// Authorization across origins, AbortSignal.timeout and a refused connection. Run by
// scripts/runtime-probe.mjs on Node, Deno, Bun and workerd against two local origins.

/** Probe results, one short string each. */
export type ProbeReport = Record<string, string>;

async function describeError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "no error";
  } catch (error) {
    const e = error as { name?: string; message?: string; cause?: { code?: string; name?: string; message?: string } };
    const ctor = (error as object)?.constructor?.name;
    const cause = e.cause ? ` cause=${e.cause.code ?? e.cause.name ?? ""}${e.cause.message ? `(${e.cause.message.slice(0, 60)})` : ""}` : "";
    return `${ctor}/${e.name}: ${String(e.message).slice(0, 80)}${cause}`;
  }
}

/** Runs every probe against origin `a` (redirects to `b`) and origin `b` (echoes what it got). */
export async function probe(a: string, b: string, closed: string): Promise<ProbeReport> {
  const report: ProbeReport = {};
  const manual = await fetch(`${a}/redirect307`, { method: "POST", body: "secret=x", redirect: "manual", headers: { authorization: "Bearer t" } });
  report["manual 307: status/type/location"] = `${manual.status} ${manual.type} ${manual.headers.get("location") ? "has location" : "no location"}`;
  await manual.body?.cancel();

  const followed = await fetch(`${a}/redirect307`, { method: "POST", body: "secret=x", headers: { authorization: "Bearer t", "content-type": "application/x-www-form-urlencoded" } });
  const seen = (await followed.json()) as { authorization: string | null; body: string; method: string };
  report["followed cross-origin 307 POST: Authorization"] = seen.authorization === null ? "dropped" : "SENT";
  report["followed cross-origin 307 POST: body"] = seen.body ? `re-posted (${seen.method})` : `not re-posted (${seen.method})`;

  const same = await fetch(`${a}/redirect307same`, { headers: { authorization: "Bearer t" } });
  const sameSeen = (await same.json()) as { authorization: string | null };
  report["followed same-origin 307: Authorization"] = sameSeen.authorization === null ? "dropped" : "kept";

  report["AbortSignal.timeout"] = typeof AbortSignal.timeout === "function" ? "available" : "missing";
  report["AbortSignal.any"] = typeof (AbortSignal as { any?: unknown }).any === "function" ? "available" : "missing";
  if (typeof AbortSignal.timeout === "function") {
    report["timeout error"] = await describeError(fetch(`${a}/slow`, { signal: AbortSignal.timeout(100) }).then((r) => r.text()));
  }
  const controller = new AbortController();
  const pending = fetch(`${a}/slow`, { signal: controller.signal }).then((r) => r.text());
  controller.abort();
  report["abort() error"] = await describeError(pending);
  report["connection refused"] = await describeError(fetch(`${closed}/`));
  report["invalid URL"] = await describeError(fetch("http://exa mple/"));
  return report;
}
