// Calls examples/nextjs/'s route handler as Next.js would, without Next.js: with a Request, under
// the `react-server` export condition, with which Next.js bundles server code (`server-only` is
// then an empty module). Without that condition, as in a client bundle, importing
// lib/partner-api.ts throws: run-all.ts checks both.
//   node --conditions=react-server … examples/shared/next-route.ts
const { GET } = await import("../nextjs/app/api/accounts/route.ts");
const res = await GET(new Request("http://localhost:3000/api/accounts?page=2"));
console.log(res.status, await res.json());
