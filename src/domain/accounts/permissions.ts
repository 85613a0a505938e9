import type { TeamRole } from "../../db/schema/index.js";

export const permissions = [
  "programs:read",
  "programs:write",
  "partners:read",
  "partners:write",
  "team:read",
  "team:manage",
  "api_keys:manage",
  "audit:read",
  "track:write",
  "commissions:read",
  "commissions:write",
  "payouts:read",
  "payouts:write",
  "fraud:read",
  "fraud:write",
] as const;
export type Permission = (typeof permissions)[number];

/** What each team role may do. Owners hold everything; the rest is least privilege. */
export const rolePermissions: Record<TeamRole, readonly Permission[]> = {
  owner: permissions,
  manager: [
    "programs:read",
    "programs:write",
    "partners:read",
    "partners:write",
    "team:read",
    "api_keys:manage",
    "audit:read",
    "commissions:read",
    "commissions:write",
    "payouts:read",
    "fraud:read",
    "fraud:write",
  ],
  // Finance reviews commissions, keeps FX rates and pays partners; it does not run programs.
  finance: [
    "programs:read",
    "partners:read",
    "team:read",
    "audit:read",
    "commissions:read",
    "commissions:write",
    "payouts:read",
    "payouts:write",
    "fraud:read",
  ],
  viewer: ["programs:read", "partners:read", "team:read", "commissions:read", "payouts:read"],
};

/** API key scopes: a key holds permissions directly; `admin` stands for every permission a key may hold. */
export const apiKeyScopes = [
  "programs:read",
  "programs:write",
  "partners:read",
  "partners:write",
  "audit:read",
  "track:write",
  "commissions:read",
  "commissions:write",
  "payouts:read",
  "payouts:write",
  "fraud:read",
  "fraud:write",
  "admin",
] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

// Managing people and keys stays with humans: a leaked key must not mint more keys or team members.
const keyForbidden: ReadonlySet<Permission> = new Set(["team:manage", "api_keys:manage", "team:read"]);

export const roleHas = (role: TeamRole, permission: Permission): boolean => rolePermissions[role].includes(permission);

export const scopesHave = (scopes: readonly string[], permission: Permission): boolean =>
  !keyForbidden.has(permission) && (scopes.includes(permission) || scopes.includes("admin"));
