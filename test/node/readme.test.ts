// The README and docs/*.md stay true: every TypeScript block is copied verbatim from an example
// that `npm test` type-checks and runs (examples/shared/run-all.ts), and every relative link names
// a file that exists. The rules are in examples/shared/readme.ts.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { linkProblems, snippetProblems } from "../../examples/shared/readme.ts";

const root = new URL("../../", import.meta.url);

const documents = ["README.md", ...readdirSync(new URL("docs/", root), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
const read = (file: string): string => readFileSync(new URL(file, root), "utf8");
/** Reads a path relative to the repository root (example markers name files from the root). */
const readExample = (path: string): string | undefined => (existsSync(new URL(path, root)) ? read(path) : undefined);
const existsFrom = (document: string) => (target: string): boolean => existsSync(new URL(target, new URL(document, root)));

const readme = suite("README.md and docs/");

readme("every ts block is copied verbatim from the example it names", () => {
  const problems = documents.flatMap((document) => snippetProblems(read(document), readExample, document));
  assert.equal(problems, []);
});

readme("every relative link names a file that exists", () => {
  const problems = documents.flatMap((document) => linkProblems(read(document), existsFrom(document), document));
  assert.equal(problems, []);
});

const checks = suite("the README checks");
const example = 'import { createTokenKeeper } from "tokenkeeper";\n\nconst keeper = createTokenKeeper(options);\nconst token = await keeper.getToken();\n';
const files = (path: string): string | undefined => (path === "examples/a.ts" ? example : undefined);
const block = (marker: string, code: string, lang = "ts"): string => `Text.\n\n${marker}\n\`\`\`${lang}\n${code}\n\`\`\`\n`;

checks("accept a block whose lines are in its example", () => {
  assert.equal(snippetProblems(block("<!-- example: examples/a.ts -->", "const keeper = createTokenKeeper(options);\nconst token = await keeper.getToken();"), files, "R.md"), []);
});

checks("refuse a block that drifted from its example", () => {
  const problems = snippetProblems(block("<!-- example: examples/a.ts -->", "const keeper = createTokenKeeper({ ...options, scope: \"a\" });"), files, "R.md");
  assert.equal(problems, ["R.md:4: this block is not in examples/a.ts (verbatim, as whole lines): copy it again from the example"]);
});

checks("refuse a block that is only part of a line of its example", () => {
  assert.is(snippetProblems(block("<!-- example: examples/a.ts -->", "createTokenKeeper(options);"), files, "R.md").length, 1);
});

checks("refuse a ts block without a marker, and a marker naming a missing file", () => {
  assert.is(snippetProblems(block("", "const x = 1;"), files, "R.md").length, 1);
  assert.equal(snippetProblems(block("<!-- example: examples/gone.ts -->", "const x = 1;"), files, "R.md"), ["R.md:4: examples/gone.ts does not exist"]);
});

checks("leave sh and text blocks alone", () => {
  assert.equal(snippetProblems(block("", "npm install tokenkeeper", "sh"), files, "R.md"), []);
});

checks("refuse a link to a missing file, ignoring URLs, anchors and code", () => {
  const markdown = "[a](examples/a.ts) [b](https://example.com/x) [c](#errors) `[d](nope.md)`\n[e](missing.md#part)\n```md\n[f](nope.md)\n```\n[g]: also-missing.md\n";
  assert.equal(linkProblems(markdown, (target) => target === "examples/a.ts", "R.md"), [
    "R.md:2: links missing.md, which does not exist",
    "R.md:6: links also-missing.md, which does not exist",
  ]);
});

readme.run();
checks.run();
