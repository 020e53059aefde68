// Every runtime-neutral unit test, imported statically so each runtime's entry (Node, Deno, Bun,
// workerd) runs the same list.
