// One fresh project with the packed tokenkeeper installed, shared by the command line tests of a
// run (installing takes seconds).
import { freshProject, type Project } from "../package/pack.ts";

let project: Promise<Project> | undefined;

/**
 * The shared project, made on first use and deleted when the process exits.
 *
 * @returns The project.
 */
export function installedProject(): Promise<Project> {
  project ??= freshProject().then((made) => {
    process.once("exit", () => made.remove());
    return made;
  });
  return project;
}
