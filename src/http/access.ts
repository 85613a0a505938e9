import type { Permission } from "../domain/accounts/permissions.js";

/** Who may call a route. Every route declares one; the app refuses to start with a route that does not. */
export type Access =
  | { kind: "public" }
  | { kind: "team"; permission?: Permission; apiKey: boolean }
  | { kind: "partner" };

export const publicAccess: Access = { kind: "public" };
/** A team member of any role (or a role holding `permission`); with `apiKey`, also an API key with that scope. */
export const teamAccess = (permission?: Permission, options: { apiKey?: boolean } = {}): Access => ({
  kind: "team",
  ...(permission ? { permission } : {}),
  apiKey: options.apiKey ?? false,
});
export const partnerAccess: Access = { kind: "partner" };

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
    /** Cross-site posts (the tracking snippet) opt out of the CSRF check. */
    csrf?: boolean;
    /** Public hot paths (the redirect) that use no actor and no use-case context: no authentication hook at all. */
    bare?: boolean;
  }
}
