// The doctor reads no more of a response than tokenkeeper does (64 KiB): a huge or endless body
// from the metadata or the token endpoint is cut there, the rest cancelled, and the report says
// so. No time is asserted (a loaded machine is slow); that the run ends at all, with the server
// having written little, is the evidence. test/cli/measure-body-cap.ts measures time and memory.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { BODY_LIMIT_BYTES, readAtMost } from "../../cli/doctor/bounded-read.ts";
import { createTokenProvider } from "../../mod.ts";
import { type Ran } from "../package/pack.ts";
import { type HostileReply, type HostileRequest, withHostileServer } from "./hostile-server.ts";
import { runInProcess } from "./in-process.ts";

const test = suite("doctor body cap");
const MB = 1024 * 1024;

/** Runs the doctor against `route` with a static token endpoint on plain http (loopback). */
function doctor(route: (origin: string) => (request: HostileRequest) => HostileReply, options: { issuer?: boolean } = {}): Promise<{ ran: Ran; written: number }> {
  return withHostileServer(route, async (server) => {
    const endpoint = options.issuer ? ["--issuer", server.url] : ["--token-endpoint", `${server.url}/token`];
    const ran = await runInProcess(["doctor", ...endpoint, "--dangerously-allow-http", server.host], { TOKENKEEPER_CLIENT_ID: "cap-client", TOKENKEEPER_CLIENT_SECRET: "SENTINEL_cap_secret" });
    return { ran, written: server.bytesSent() };
  });
}

const endless = (prefix: string, filler: string): HostileReply => ({ headers: [["Content-Type", "application/json"]], body: { prefix, filler, size: Infinity } });
const token: HostileReply = { headers: [["Content-Type", "application/json"], ["Cache-Control", "no-store"]], body: JSON.stringify({ access_token: "cap-token", token_type: "Bearer", expires_in: 300 }) };

test("the cap is tokenkeeper's own: the library takes a token response of BODY_LIMIT_BYTES and refuses one a byte longer", async () => {
  const answer = (size: number) => {
    const head = JSON.stringify({ access_token: "cap-token", token_type: "Bearer", expires_in: 300, pad: "" });
    return JSON.stringify({ access_token: "cap-token", token_type: "Bearer", expires_in: 300, pad: "x".repeat(size - head.length) });
  };
  const keeper = (size: number) => createTokenProvider({ tokenEndpoint: "https://as.test/token", clientId: "cap-client", clientSecret: "SENTINEL_cap_secret", retry: false, fetch: async () => new Response(answer(size), { headers: { "content-type": "application/json" } }) });
  assert.is(answer(BODY_LIMIT_BYTES).length, BODY_LIMIT_BYTES);
  assert.is((await keeper(BODY_LIMIT_BYTES).getToken()).accessToken, "cap-token");
  const error = await keeper(BODY_LIMIT_BYTES + 1).getToken().then(() => undefined, (e: unknown) => e);
  assert.match(String((error as Error).message), new RegExp(`exceeds ${BODY_LIMIT_BYTES} bytes`));
});

test("readAtMost() reads one byte past the cap from a body without end, and cancels the rest", async () => {
  let cancelled = false;
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new Uint8Array(1000).fill(120));
    },
    cancel() {
      cancelled = true;
    },
  });
  const { bytes, overLimit } = await readAtMost(new Response(body), 4096);
  assert.is(bytes.byteLength, 4097);
  assert.ok(overLimit);
  assert.ok(cancelled, "the rest is cancelled");
  assert.ok(pulled <= 6, `read ${pulled} chunks of 1000 bytes`);
  const short = await readAtMost(new Response("small"), 4096);
  assert.equal([new TextDecoder().decode(short.bytes), short.overLimit], ["small", false]);
});

test("metadata without end at both well-known URLs: the doctor reads 64 KiB of each, says so, and goes on to the token", async () => {
  const { ran, written } = await doctor(() => (request) => (request.method === "POST" ? token : endless('{"grant_types_supported":[', '"client_credentials",')));
  assert.match(ran.stdout, /oauth-authorization-server answered 200 with a body over 65536 bytes: read no further/);
  assert.match(ran.stdout, /openid-configuration answered 200 with a body over 65536 bytes: read no further/);
  assert.match(ran.stdout, /ok\s+POST \S+\/token answered 200/);
  assert.ok(written < 64 * MB, `the server wrote ${written} bytes before the doctor went away`);
});

test("a token response without end: the doctor stops at the cap and reports tokenkeeper's INVALID_RESPONSE, exit 5", async () => {
  const { ran, written } = await doctor(() => (request) => (request.method === "POST" ? endless('{"access_token":"t","token_type":"Bearer","scope":"', "read ") : { status: 404 }));
  assert.is(ran.code, 5, ran.stdout);
  assert.match(ran.stdout, /FAIL\s+INVALID_RESPONSE: .*exceeds 65536 bytes/);
  assert.match(ran.stdout, "the response body is over 65536 bytes: the doctor read no further");
  assert.ok(written < 64 * MB, `the server wrote ${written} bytes before the doctor went away`);
});

test("an issuer whose metadata is 32 MB: discovery fails with the cap named, exit 7", async () => {
  const item = '"client_secret_post",';
  const { ran, written } = await doctor(() => () => ({ headers: [["Content-Type", "application/json"]], body: { prefix: '{"token_endpoint_auth_methods_supported":[', filler: item, size: 32 * MB } }), { issuer: true });
  assert.is(ran.code, 7, ran.stdout);
  assert.match(ran.stdout, /FAIL\s+no authorization server metadata found/);
  assert.match(ran.stdout, /with a body over 65536 bytes/);
  assert.ok(written < 32 * MB, `the server wrote ${written} bytes: the doctor read all of it`);
});

test("metadata just under the cap with one long list: the finding's line is cut at 1,000 characters, with how much more there was", async () => {
  const list = Array.from({ length: 3000 }, (_, i) => `"grant_${i}"`).join(",");
  const { ran } = await doctor(() => (request) => (request.method === "POST" ? token : { headers: [["Content-Type", "application/json"]], body: `{"grant_types_supported":[${list}]}` }));
  const line = ran.stdout.split("\n").find((l) => l.includes("grant type client_credentials is not advertised"));
  assert.ok(line, ran.stdout.slice(0, 2000));
  assert.ok(line.length < 1100, `the line has ${line.length} characters`);
  assert.match(line, /… \(\d+ more characters\)$/);
});

test.run();
