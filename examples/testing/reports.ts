// The code under test in the testing recipe: a small client of a partner API, as an application
// writes one. It takes the keeper's options from its caller, so a test can pass a `fetch` that
// never leaves the process (reports.test.ts).
import { createTokenKeeper, type TokenKeeperOptions } from "tokenkeeper";

export interface Report {
  readonly id: string;
  readonly title: string;
}

/** The partner API's reports, through a keeper made from `options`. */
export function reportsClient(options: TokenKeeperOptions): { get(id: string): Promise<Report>; close(): Promise<void> } {
  const api = createTokenKeeper(options);
  return {
    async get(id) {
      const res = await api.fetch(`/v2/reports/${encodeURIComponent(id)}`);
      if (!res.ok) throw new Error(`GET report ${id} failed: ${res.status}`);
      return (await res.json()) as Report;
    },
    close: () => api.close(),
  };
}
