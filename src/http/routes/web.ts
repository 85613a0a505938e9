import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { linkDomainHome } from "../../domain/programs/link-domain-home.js";
import { packageRoot } from "../../lib/package-root.js";
import { publicAccess } from "../access.js";
import { problem, sendProblem } from "../problem.js";

export const webRoot = join(packageRoot, "dist", "web");

/** The React app: hashed assets with long caching, and index.html for every client-side route. */
export const webRoutes: FastifyPluginAsync = async (app) => {
  const indexPath = join(webRoot, "index.html");
  const index = existsSync(indexPath) ? readFileSync(indexPath, "utf8") : undefined;
  // Registered even before a build so the route table is the same in every environment.
  await app.register(fastifyStatic, {
    root: join(webRoot, "assets"),
    prefix: "/assets/",
    immutable: true,
    maxAge: "365d",
    suppressWarning: true,
  });
  const sendIndex = async (_request: unknown, reply: FastifyReply) => {
    if (!index) return sendProblem(reply, problem(503, "web_not_built", "the web app is not built: run npm run build"));
    return reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(index);
  };
  // The console for Tributary's own host; a program's link domain opened bare goes to the program's site.
  app.get("/", { config: { access: publicAccess }, schema: { hide: true } }, async (request, reply) =>
    reply.redirect((await linkDomainHome(request.ctx.db, request.hostname)) ?? "/admin"),
  );
  for (const path of ["/admin", "/admin/*", "/portal", "/portal/*", "/apply/*"]) {
    app.get(path, { config: { access: publicAccess }, schema: { hide: true } }, sendIndex);
  }
};
