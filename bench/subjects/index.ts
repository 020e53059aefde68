import type { Subject } from "./types.ts";

export type { Env, Instance, Subject } from "./types.ts";

/** tokenkeeper first, then the peers; each loaded on its own so one that fails to load is reported, not fatal. */
const loaders: [string, () => Promise<Subject>][] = [
  ["tokenkeeper", async () => (await import("./tokenkeeper.ts")).tokenkeeper],
  ["openid-client", async () => (await import("./openid-client.ts")).openidClient],
  ["oauth4webapi (raw)", async () => (await import("./oauth4webapi.ts")).oauth4webapi],
  ["@badgateway/oauth2-client", async () => (await import("./badgateway.ts")).badgateway],
  ["simple-oauth2", async () => (await import("./simple-oauth2.ts")).simpleOauth2Subject],
];

export async function loadSubjects(): Promise<{ subjects: Subject[]; failed: { name: string; reason: string }[] }> {
  const subjects: Subject[] = [];
  const failed: { name: string; reason: string }[] = [];
  for (const [name, load] of loaders) {
    try {
      subjects.push(await load());
    } catch (e) {
      failed.push({ name, reason: e instanceof Error ? e.message.split("\n")[0]! : String(e) });
    }
  }
  return { subjects, failed };
}
