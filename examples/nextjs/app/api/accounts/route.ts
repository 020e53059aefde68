// Next.js (App Router): app/api/accounts/route.ts, a route handler that calls the partner API
// through the server-only keeper (lib/partner-api.ts). Query parameters pass through.
import { partnerApi } from "../../../lib/partner-api.ts";

export async function GET(request: Request): Promise<Response> {
  const { search } = new URL(request.url);
  const upstream = await partnerApi.fetch(`/v2/accounts${search}`);
  return Response.json(await upstream.json(), { status: upstream.ok ? 200 : 502 });
}
