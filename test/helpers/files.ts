// Temporary files for the runtime-neutral tests, where the runtime can write them: Node and Bun,
// and Deno when it runs with --allow-write (reached through process.getBuiltinModule, so no Node
// module is imported and workerd, which has no file system, loads this too). `undefined` where
// files cannot be written.

interface Fs {
  mkdtemp(prefix: string): Promise<string>;
  writeFile(path: string, data: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { recursive: boolean; force: boolean }): Promise<void>;
}

/** A folder of temporary files. */
export interface TempFiles {
  readonly dir: string;
  /** Writes `text` to `name` atomically (a new file renamed over the old one, as the kubelet swaps a projected token). */
  write(name: string, text: string): Promise<string>;
  remove(): Promise<void>;
}

const host = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; env?: Record<string, string | undefined> } };

async function probe(): Promise<((prefix: string) => Promise<TempFiles>) | undefined> {
  const fs = host.process?.getBuiltinModule?.("node:fs/promises") as Fs | undefined;
  const os = host.process?.getBuiltinModule?.("node:os") as { tmpdir(): string } | undefined;
  if (fs === undefined || os === undefined) return undefined;
  const make = async (prefix: string): Promise<TempFiles> => {
    const dir = await fs.mkdtemp(`${os.tmpdir()}/${prefix}`);
    let n = 0;
    return {
      dir,
      async write(name, text) {
        const path = `${dir}/${name}`;
        const staged = `${dir}/.${name}.${++n}`;
        await fs.writeFile(staged, text);
        await fs.rename(staged, path);
        return path;
      },
      remove: () => fs.rm(dir, { recursive: true, force: true }),
    };
  };
  try {
    await (await make("tokenkeeper-probe-")).remove();
    return make;
  } catch {
    return undefined; // Deno without --allow-write
  }
}

/** Makes a folder of temporary files; `undefined` where the runtime cannot write files. */
export const tempFiles: ((prefix: string) => Promise<TempFiles>) | undefined = await probe();
