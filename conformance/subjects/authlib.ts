// Python's Authlib (requests client, OAuth2Session; Node runner only), driven as a process subject
// (PROTOCOL.md) with Debian's python3-authlib and python3-requests. How it uses the library, and
// what it cannot drive, is in python/authlib_subject.py's docstring.
import { fileURLToPath } from "node:url";
import { subjectFromCommand } from "../process/subject.ts";
import type { Subject } from "../types.ts";
import { debianBuild, debianOptions } from "./debian.ts";

// The Python sources stay beside the TypeScript sources; from dist/subjects/ they are two folders up.
const PROGRAM = fileURLToPath(new URL(import.meta.url.endsWith(".ts") ? "./python/authlib_subject.py" : "../../subjects/python/authlib_subject.py", import.meta.url));

/** Authlib's OAuth2Session as a process subject, on Debian's Python (where python3-authlib is). */
export const authlibSubject: Subject = await subjectFromCommand(["/usr/bin/python3", "-u", PROGRAM], debianOptions(await debianBuild("python3-authlib"))).catch((error: unknown) => {
  throw new Error(`Authlib subject: ${(error as Error).message} (it needs Debian's python3-authlib and python3-requests: apt-get install python3-authlib python3-requests)`, { cause: error });
});

export default authlibSubject;
