import type { Host, Need } from "./needs.d.mts";
/** The needs `names` stand for, with the needs they need, each once, every need after those it needs. */
export declare function resolveNeeds(list: readonly Need[], names: readonly string[]): Need[];
/** Checks the needs and provisions the missing ones; `ok: false` says what to do instead. */
export declare function provision(needs: readonly Need[], host: Host): Promise<{ ok: true } | { ok: false; message: string }>;
/** The real host: commands run from the repository root. */
export declare function systemHost(): Host;
