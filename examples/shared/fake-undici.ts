// CI only: the undici counterpart of fake-network.ts. An undici interceptor that sends requests for
// the example hosts to the fake token server and API on TOKENKEEPER_FAKE_NETWORK, for examples
// whose requests go through undici's own Dispatcher instead of the global fetch.
import type { Dispatcher } from "undici";
import { isFakeHost } from "./fake-hosts.ts";

/** Reroutes example hosts to TOKENKEEPER_FAKE_NETWORK; every other request is left alone. */
export const toFakeNetwork: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (options, handler) => {
  const fake = process.env["TOKENKEEPER_FAKE_NETWORK"];
  const rerouted = fake !== undefined && options.origin !== undefined && isFakeHost(options.origin);
  return dispatch(rerouted ? { ...options, origin: fake } : options, handler);
};
