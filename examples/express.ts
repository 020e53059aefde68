// Express 5: one keeper for the process, a middleware that puts its fetch on `res.locals`, and
// handlers that call the partner API through it. Express 5 sends a rejected promise to the error
// handler, so no try/catch is needed; a token endpoint that fails becomes a 503.
import express, { type NextFunction, type Request, type Response } from "express";
import { createTokenKeeper, isTokenKeeperError, type TokenKeeperOptions } from "tokenkeeper";

const options = {
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
  baseUrl: "https://api.example.com",
} satisfies TokenKeeperOptions;

const keeper = createTokenKeeper(options);

const app = express();
app.use((_req: Request, res: Response, next: NextFunction) => {
  res.locals["api"] = keeper.fetch;
  next();
});

app.get("/reports/:id", async (req: Request, res: Response) => {
  const api = res.locals["api"] as typeof keeper.fetch;
  const upstream = await api(`/v2/reports/${encodeURIComponent(String(req.params["id"]))}`);
  res.status(upstream.ok ? 200 : 502).json(await upstream.json());
});

app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
  if (!isTokenKeeperError(error)) return next(error);
  res.status(503).json({ error: "partner API unavailable", code: error.code });
});

const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1");
await new Promise((resolve) => server.once("listening", resolve));

// CI only: one request to the running server, then shut down as on SIGTERM.
const { port } = server.address() as { port: number };
const res = await fetch(`http://127.0.0.1:${port}/reports/42`);
console.log(res.status, await res.json());
server.close(() => void keeper.close());
