/** The import graph of `files` and everything they import: module → the modules it imports. */
export declare function importGraph(files: string[], options?: { types?: boolean; dynamic?: boolean }): Promise<Map<string, string[]>>;
/** One cycle per strongly connected component of `graph` that has one. */
export declare function cycles(graph: Map<string, string[]>): string[][];
