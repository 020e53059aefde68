// Node-only: resolves `--subject <name|module>` to a Subject.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Subject } from "../types.ts";

const BUILT_IN: Record<string, string> = {
  tokenkeeper: "../subjects/tokenkeeper.ts",
  oauth4webapi: "../subjects/oauth4webapi.ts",
};

/** Loads a built-in subject by name, or a module whose default (or `subject`) export is one. */
export async function loadSubject(spec: string): Promise<Subject> {
  const url = BUILT_IN[spec] ? new URL(BUILT_IN[spec]!, import.meta.url).href : pathToFileURL(resolve(spec)).href;
  const mod = (await import(url)) as { default?: Subject; subject?: Subject };
  const subject = mod.default ?? mod.subject;
  if (!subject || typeof subject.create !== "function" || typeof subject.classify !== "function") {
    throw new TypeError(`--subject ${spec}: the module must export a Subject as default or as 'subject'`);
  }
  return subject;
}
