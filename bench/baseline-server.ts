import cookie from "@fastify/cookie";
import Fastify from "fastify";

/**
 * The yardstick: the least a redirect can do in Fastify — an in-memory lookup, a cookie and a 302 — with no
 * database, no click id and no logging. Our redirect's figures are reported as a ratio to this one, measured
 * in the same run on the same machine.
 */
const app = Fastify({ logger: false });
await app.register(cookie);
const links = new Map([["bench", "https://example.com/"]]);
app.get<{ Params: { slug: string } }>("/r/:slug", (request, reply) => {
  const destination = links.get(request.params.slug);
  if (!destination) return reply.code(404).send();
  reply.setCookie("click", "baseline", { httpOnly: true, sameSite: "lax", path: "/r", maxAge: 2_592_000 });
  return reply.redirect(`${destination}?tb_click=baseline`, 302);
});
app.get("/health", async () => ({ status: "ok" }));
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
