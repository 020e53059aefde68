// Keeps the README true, mechanically. Every TypeScript or JavaScript block in a Markdown file is
// preceded by a marker naming the example it comes from, and must appear in that example as whole
// lines, verbatim; the example is type-checked and run in CI (examples/shared/run-all.ts). A block
// of program output names the example that prints it, and run-all.ts checks the example still
// prints it. Every relative link must name a file that exists.
//
//   <!-- example: examples/scope.ts -->
//   ```ts
//   …lines copied from examples/scope.ts…
//   ```
//
//   <!-- output: examples/mistakes.ts -->
//   ```text
//   …lines examples/mistakes.ts prints…
//   ```

/** A fenced code block, with the marker on the line before it, if any. */
export interface FencedBlock {
  /** The info string's first word: `ts`, `sh`, `text`, or "". */
  readonly lang: string;
  /** The lines between the fences. */
  readonly text: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly marker: { readonly kind: "example" | "output"; readonly path: string } | undefined;
}

/** Languages whose blocks must come from an example. */
const CODE_LANGS = new Set(["ts", "typescript", "tsx", "js", "javascript", "jsx", "mjs"]);

const MARKER = /^<!--\s*(example|output):\s*(\S+)\s*-->$/;

/** The fenced code blocks of `markdown` (``` fences), with their markers. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i]!.match(/^(`{3,})\s*([\w-]*)/);
    if (!open) continue;
    const fence = open[1]!;
    const start = i;
    let end = i + 1;
    while (end < lines.length && !lines[end]!.startsWith(fence)) end++;
    const previous = start > 0 ? lines[start - 1]!.trim().match(MARKER) : null;
    blocks.push({
      lang: open[2]!.toLowerCase(),
      text: lines.slice(start + 1, end).join("\n"),
      line: start + 1,
      marker: previous ? { kind: previous[1] as "example" | "output", path: previous[2]! } : undefined,
    });
    i = end;
  }
  return blocks;
}

/** Whether `needle`'s lines appear in `haystack` as consecutive whole lines. */
export function containsLines(haystack: string, needle: string): boolean {
  const lines = haystack.split(/\r?\n/);
  const wanted = needle.split(/\r?\n/);
  if (wanted.length === 0) return true;
  for (let i = 0; i + wanted.length <= lines.length; i++) {
    if (wanted.every((line, j) => lines[i + j] === line)) return true;
  }
  return false;
}

/**
 * What is wrong with the code blocks of `markdown`: a TypeScript or JavaScript block without an
 * `example` marker, a marker naming a file `read` cannot find, a block its example does not
 * contain verbatim, an `example` marker on another kind of block.
 *
 * @param read Reads a file named by a marker (relative to the Markdown file), or `undefined`.
 * @param where The Markdown file's name, for the messages.
 */
export function snippetProblems(markdown: string, read: (path: string) => string | undefined, where: string): string[] {
  const problems: string[] = [];
  for (const block of fencedBlocks(markdown)) {
    const at = `${where}:${block.line}`;
    const code = CODE_LANGS.has(block.lang);
    if (block.marker?.kind !== "example") {
      if (code) problems.push(`${at}: a \`\`\`${block.lang} block needs <!-- example: path --> on the line before it, naming the example it is copied from`);
      continue;
    }
    if (!code) {
      problems.push(`${at}: an example marker on a \`\`\`${block.lang || "(no language)"} block; mark code blocks only`);
      continue;
    }
    const source = read(block.marker.path);
    if (source === undefined) problems.push(`${at}: ${block.marker.path} does not exist`);
    else if (!containsLines(source, block.text)) problems.push(`${at}: this block is not in ${block.marker.path} (verbatim, as whole lines): copy it again from the example`);
  }
  return problems;
}

/** The blocks of `markdown` that quote what the example at `path` prints. */
export function outputBlocks(markdown: string, path: string): FencedBlock[] {
  return fencedBlocks(markdown).filter((block) => block.marker?.kind === "output" && block.marker.path === path);
}

/** Relative link targets of `markdown` (inline links, images, reference definitions), outside code. */
export function relativeLinks(markdown: string): { readonly target: string; readonly line: number }[] {
  const lines = markdown.split(/\r?\n/);
  const code = new Set<number>();
  for (const block of fencedBlocks(markdown)) {
    const count = block.text === "" ? 0 : block.text.split("\n").length;
    for (let l = block.line; l <= block.line + count + 1; l++) code.add(l);
  }
  const found: { target: string; line: number }[] = [];
  lines.forEach((raw, index) => {
    if (code.has(index + 1)) return;
    const line = raw.replace(/`[^`]*`/g, "");
    const targets = [...line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
    const definition = line.match(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/);
    if (definition) targets.push(definition[1]!);
    for (const target of targets) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("#") || target.startsWith("//")) continue;
      found.push({ target: decodeURI(target.replace(/[?#].*$/, "")), line: index + 1 });
    }
  });
  return found;
}

/**
 * Relative links of `markdown` whose file does not exist.
 *
 * @param exists Whether a link target (relative to the Markdown file) exists.
 */
export function linkProblems(markdown: string, exists: (path: string) => boolean, where: string): string[] {
  const problems: string[] = [];
  for (const { target, line } of relativeLinks(markdown)) {
    if (!exists(target)) problems.push(`${where}:${line}: links ${target}, which does not exist`);
  }
  return problems;
}
