// The part of Bun's global `Bun` that examples/bun/main.ts uses (`bun add -d @types/bun` has it all).
declare const Bun: {
  serve(options: { port?: number; fetch(request: Request): Response | Promise<Response> }): { readonly url: URL; stop(): void };
};
