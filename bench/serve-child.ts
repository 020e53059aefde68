// The token server in its own process, so throughput runs measure the client side without
// sharing its event loop with the server. Prints the origin on stdout, exits when stdin closes.
import { startTokenServer } from "./server.ts";

const server = await startTokenServer();
process.stdout.write(`${server.origin}\n`);
process.stdin.resume();
process.stdin.on("end", () => void server.close().then(() => process.exit(0)));
