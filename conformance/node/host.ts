// Node-only: the host capabilities Node offers the suite (TLS servers, util.inspect).
import { inspect } from "node:util";
import type { Host, HostCapability } from "../types.ts";
import { createTlsHost } from "./tls.ts";

export function nodeHost(): Host {
  const tls = createTlsHost();
  const capabilities: HostCapability[] = ["inspect", "real_http"];
  if (tls) capabilities.push("tls");
  return {
    name: `node ${process.version}`,
    capabilities,
    inspect: (value) => inspect(value, { depth: Infinity }),
    ...(tls ? { tls } : {}),
  };
}
