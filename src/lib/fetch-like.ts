/** The `fetch` signature tokenkeeper calls and offers. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
