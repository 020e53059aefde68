// Node-only: resolves `--subject <name|path>` to a Subject, with the graded library's version.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Subject } from "../types.ts";
import { installedVersion } from "./version.ts";

// .ts from the sources, .js from the npm package's dist/.
const EXT = import.meta.url.endsWith(".ts") ? ".ts" : ".js";

/** The built-in subjects by name, each a module (in subjects/) whose default export is the Subject. */
export const BUILT_IN: Readonly<Record<string, string>> = {
  tokenkeeper: "tokenkeeper",
  "tokenkeeper-fake-timers": "tokenkeeper-fake-timers",
  oauth4webapi: "oauth4webapi",
  "openid-client": "openid-client",
  "@badgateway/oauth2-client": "badgateway",
  badgateway: "badgateway",
  "simple-oauth2": "simple-oauth2",
  "@azure/msal-node": "msal-node",
  "msal-node": "msal-node",
  // Other languages, as process subjects (PROTOCOL.md); Node runner only.
  "go-x-oauth2": "go-x-oauth2",
  authlib: "authlib",
  "ruby-oauth2": "ruby-oauth2",
};

/** A subject that cannot be loaded: bad path, missing peer library, not a Subject. */
export class SubjectLoadError extends Error {
  override name = "SubjectLoadError";
}

/**
 * Loads a built-in subject by name, or a module (path resolved from `cwd`) whose default export,
 * or export named `subject`, is a Subject. Fills `version` from the installed package when the
 * subject does not say.
 *
 * @throws {SubjectLoadError} When nothing usable is found.
 */
export async function loadSubject(spec: string, cwd: string = process.cwd()): Promise<Subject> {
  const builtIn = BUILT_IN[spec];
  let url: string;
  if (builtIn !== undefined) {
    url = new URL(`../subjects/${builtIn}${EXT}`, import.meta.url).href;
  } else {
    const file = resolve(cwd, spec);
    if (!existsSync(file)) {
      throw new SubjectLoadError(`--subject ${spec}: no built-in subject of that name (${Object.keys(BUILT_IN).join(", ")}) and no file ${file}`);
    }
    url = pathToFileURL(file).href;
  }
  let mod: { default?: Subject; subject?: Subject };
  try {
    mod = (await import(url)) as typeof mod;
  } catch (error) {
    const message = String((error as Error)?.message ?? error).split("\n")[0];
    // Node 20 cannot load TypeScript (Node >= 22.18 strips types by default).
    if ((error as { code?: string })?.code === "ERR_UNKNOWN_FILE_EXTENSION" && /\.[mc]?ts$/.test(spec)) {
      throw new SubjectLoadError(
        `--subject ${spec}: Node ${process.version} cannot load a .ts adapter. Run the suite through tsx ` +
          `(npx tsx node_modules/.bin/tokenkeeper-conformance --subject ${spec}), use Node >= 22.18, or compile the adapter to .js`,
        { cause: error },
      );
    }
    throw new SubjectLoadError(`--subject ${spec}: the module does not load (is the library it drives installed?): ${message}`, { cause: error });
  }
  const subject = mod.default ?? mod.subject;
  if (!subject || typeof subject.create !== "function" || typeof subject.classify !== "function" || !Array.isArray(subject.capabilities)) {
    throw new SubjectLoadError(`--subject ${spec}: the module must export a Subject (name, capabilities, create, classify) as default or as 'subject'`);
  }
  if (subject.version !== undefined) return subject;
  const version = installedVersion(subject.packageName ?? subject.name, url);
  return version === undefined ? subject : { ...subject, version };
}
