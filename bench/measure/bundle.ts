// Bundle size: esbuild --bundle --minify (ESM) of a minimal entry per subject, for the browser and
// neutral platforms, gzipped at level 9.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export type Platform = "browser" | "neutral";

export interface BundleSize {
  minified?: number;
  gzipped?: number;
  /** The minified bundle. */
  code?: string;
  /** Why the entry does not bundle for this platform. */
  na?: string;
}

export const entries: Record<string, string> = {
  tokenkeeper: "tokenkeeper.ts",
  "openid-client": "openid-client.ts",
  "oauth4webapi (raw)": "oauth4webapi.ts",
  "@badgateway/oauth2-client": "badgateway.ts",
  "simple-oauth2": "simple-oauth2.ts",
};

/**
 * tokenkeeper's quick start, the same without keeper.fetch (a token only), and what each optional
 * feature adds to the quick start, one entry each (relative to bench/bundle/). The budget test and
 * BENCHMARKS.md use this list.
 */
export const featureEntries: Record<string, string> = {
  "quick start": "tokenkeeper.ts",
  "a token only (createTokenProvider)": "get-token.ts",
  "+ shared store (protocol, AES-GCM)": "features/store.ts",
  "+ Redis store adapter": "features/redis.ts",
  "+ DPoP": "features/dpop.ts",
  "+ discovery": "features/discovery.ts",
  "+ private_key_jwt": "features/jwt-auth.ts",
  "+ private_key_jwt with a certificate": "features/certificate.ts",
  "+ federated client assertion (file)": "features/client-assertion.ts",
  "+ JWT bearer grant": "features/jwt-bearer.ts",
  "+ Google service account": "features/google.ts",
  "preset (cardlytics)": "features/preset.ts",
};

export async function bundleSize(entryFile: string, platform: Platform): Promise<BundleSize> {
  try {
    const result = await build({
      entryPoints: [fileURLToPath(new URL(`../bundle/${entryFile}`, import.meta.url))],
      bundle: true,
      minify: true,
      format: "esm",
      platform,
      target: "es2022",
      write: false,
      logLevel: "silent",
      // neutral resolves nothing by default; these are the fields and conditions a package
      // published for both Node and browsers is found by.
      ...(platform === "neutral" ? { mainFields: ["module", "main"], conditions: ["import", "default"] } : {}),
    });
    const code = result.outputFiles[0]!.contents;
    return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength, code: new TextDecoder().decode(code) };
  } catch (e) {
    const errors = (e as { errors?: { text: string }[] }).errors ?? [];
    const builtins = [...new Set(errors.map((x) => /"(node:)?([a-z_]+)"/.exec(x.text)?.[2]).filter(Boolean))];
    const na = builtins.length
      ? `needs Node built-ins (${builtins.slice(0, 4).join(", ")}${builtins.length > 4 ? ", …" : ""})`
      : (errors[0]?.text ?? String(e)).slice(0, 120);
    return { na };
  }
}
