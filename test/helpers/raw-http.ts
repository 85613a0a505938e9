import { request } from "node:http";
import { parseSetCookie } from "cookie";
import type { FastifyInstance } from "fastify";

/** The parts of a response the redirect tests read, whether it came from `inject` or a socket. */
export interface RedirectResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  cookies: unknown[];
  body: string;
}

/** The app on an ephemeral port of 127.0.0.1 (once), and its base URL. */
export async function listening(app: FastifyInstance): Promise<string> {
  if (!app.server.listening) await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

/**
 * GET /r/<slug> (or another method) over a real socket with exactly the headers given (node:http adds no user
 * agent, unlike fetch), the click cookie sent raw as a browser would.
 */
export const overSocket =
  (base: string, method = "GET") =>
  (slug: string, headers: Record<string, string>, cookie?: string, query = ""): Promise<RedirectResponse> =>
    new Promise((resolve, reject) => {
      const req = request(
        `${base}/r/${slug}${query}`,
        { method, headers: { ...headers, ...(cookie ? { cookie: `tributary_click=${cookie}` } : {}) } },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            body += chunk;
          });
          res.on("end", () =>
            resolve({
              statusCode: res.statusCode ?? 0,
              headers: res.headers,
              cookies: (res.headers["set-cookie"] ?? []).map((c) => parseSetCookie(c)),
              body,
            }),
          );
        },
      );
      req.on("error", reject);
      req.end();
    });
