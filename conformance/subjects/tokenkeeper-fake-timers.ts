// The reference without its injected clock: tokenkeeper reading the global Date, graded in
// fake-timers mode. It proves the mode on a library known to be right (every clock scenario
// must grade as for the reference).
import { clock } from "tokenkeeper";
import type { Subject } from "../types.ts";
import { classifyTokenKeeper, tokenkeeper, tokenKeeperInstance, tokenKeeperOptions } from "./tokenkeeper.ts";

export const tokenkeeperFakeTimers: Subject = {
  name: "tokenkeeper-fake-timers",
  packageName: "tokenkeeper",
  capabilities: [...tokenkeeper.capabilities.filter((c) => c !== "clock"), "fake_timers"],
  create(env) {
    const options = tokenKeeperOptions(env);
    delete options[clock];
    return tokenKeeperInstance(options);
  },
  classify: classifyTokenKeeper,
};

export default tokenkeeperFakeTimers;
