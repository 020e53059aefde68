// The suite's own name and version, for reports (a test keeps them equal to package.json's).

/** The npm package name of the suite. */
export const SUITE_NAME = "@tokenkeeper/conformance";

/** The suite's version, as in its package.json. */
export const SUITE_VERSION = "0.1.0";
