// Node-only mutants (they need node:https).
import { request as httpsRequest } from "node:https";
import { tokenkeeper } from "../subjects/tokenkeeper.ts";
import type { Mutant } from "../mutants/kit.ts";
import type { FetchLike } from "../types.ts";

/** A fetch that skips certificate verification, as `rejectUnauthorized: false` does. */
const insecureFetch: FetchLike = async (input, init) => {
  const request = new Request(input, init);
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  return new Promise<Response>((resolve, reject) => {
    const req = httpsRequest(request.url, { method: request.method, headers: Object.fromEntries(request.headers), rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
        resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers }));
      });
    });
    req.on("error", (err) => reject(new TypeError("fetch failed", { cause: err })));
    req.end(body);
  });
};

export const nodeMutants: readonly Mutant[] = [
  {
    name: "tls-insecure",
    description: "does not verify TLS certificates on https URLs",
    targets: ["SEC-02"],
    subject: {
      ...tokenkeeper,
      name: "mutant:tls-insecure",
      create: (env) =>
        tokenkeeper.create({
          ...env,
          fetch: (input, init) => ((input instanceof Request ? input.url : String(input)).startsWith("https://localhost:") ? insecureFetch(input, init) : env.fetch(input, init)),
        }),
    },
  },
];
