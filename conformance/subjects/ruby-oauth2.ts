// Ruby's oauth2 gem (Node runner only), driven as a process subject (PROTOCOL.md) with Debian's
// ruby-oauth2 (Faraday over Net::HTTP). How it uses the gem, and what it cannot drive, is in
// ruby/oauth2_subject.rb's header.
import { fileURLToPath } from "node:url";
import { subjectFromCommand } from "../process/subject.ts";
import type { Subject } from "../types.ts";
import { debianBuild, debianOptions } from "./debian.ts";

// The Ruby sources stay beside the TypeScript sources; from dist/subjects/ they are two folders up.
const PROGRAM = fileURLToPath(new URL(import.meta.url.endsWith(".ts") ? "./ruby/oauth2_subject.rb" : "../../subjects/ruby/oauth2_subject.rb", import.meta.url));

/** The oauth2 gem as a process subject, on Debian's Ruby (where ruby-oauth2 is). */
export const rubyOauth2: Subject = await subjectFromCommand(["/usr/bin/ruby", PROGRAM], debianOptions(await debianBuild("ruby-oauth2"))).catch((error: unknown) => {
  throw new Error(`Ruby oauth2 subject: ${(error as Error).message} (it needs Debian's ruby and ruby-oauth2: apt-get install ruby ruby-oauth2)`, { cause: error });
});

export default rubyOauth2;
