import { z } from "zod";
import { parseKeyList } from "./lib/secret-box.js";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "expected true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/.+/, { message: "expected a postgres:// or postgresql:// URL" });

/** Every environment variable the service reads; the README's configuration table mirrors this. */
export const configSchema = z
  .object({
    PORT: z.coerce.number({ message: "expected a port number" }).int().min(0).max(65_535).default(3000),
    HOST: z.string().min(1).default("0.0.0.0"),
    DATA_DIR: z.string().min(1).default("./data"),
    DATABASE_URL: postgresUrl.optional(),
    DATABASE_POOL_SIZE: z.coerce.number({ message: "expected a whole number" }).int().min(1).max(500).default(20),
    PUBLIC_URL: z.url({ message: "expected an absolute http(s) URL" }).optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    SESSION_TTL_HOURS: z.coerce.number({ message: "expected a number of hours" }).int().min(1).max(8_760).default(168),
    TRUST_PROXY: bool.default(false),
    CORS_ORIGINS: z
      .string()
      .default("")
      .transform((v) =>
        v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ message: "expected a comma-separated list of origins like https://example.com" }))),
    BODY_LIMIT_BYTES: z.coerce
      .number({ message: "expected a number of bytes" })
      .int()
      .min(1024)
      .max(50_000_000)
      .default(262_144),
    LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number({ message: "expected a whole number" }).int().min(1).default(10),
    PUBLIC_FORM_RATE_LIMIT_PER_MINUTE: z.coerce.number({ message: "expected a whole number" }).int().min(1).default(20),
    CLICK_DURABILITY: z.enum(["buffered", "sync"], { message: "expected buffered or sync" }).default("buffered"),
    JOBS: z.enum(["on", "off"], { message: "expected on or off" }).default("on"),
    DEVICE_COOKIE: z.enum(["on", "off"], { message: "expected on or off" }).default("on"),
    COUNTRY_HEADER: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, { message: "expected an HTTP header name such as cf-ipcountry" })
      .transform((v) => v.toLowerCase())
      .optional(),
    COOKIE_SECRET: z.string().min(32, { message: "expected at least 32 characters" }).optional(),
    PAYOUT_ENCRYPTION_KEYS: z
      .string()
      .transform((value, context) => {
        try {
          return parseKeyList(value);
        } catch (error) {
          context.addIssue({ code: "custom", message: (error as Error).message });
          return z.NEVER;
        }
      })
      .optional(),
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_[A-Za-z0-9_]+$/, { message: "expected a Stripe secret or restricted key (sk_… or rk_…)" })
      .optional(),
    // One secret per Stripe endpoint: the platform's events and connected accounts' events come to two endpoints.
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .transform((value) => value.split(",").map((s) => s.trim()))
      .pipe(
        z
          .array(
            z.string().regex(/^whsec_\S+$/, {
              message: "expected the webhook endpoints' signing secrets (whsec_…), separated by commas",
            }),
          )
          .min(1),
      )
      .optional(),
    STRIPE_API_BASE: z
      .url({ protocol: /^https?$/, message: "expected an http(s) URL such as https://api.stripe.com" })
      .optional(),
  })
  // Events are not trusted as sent: each is checked against Stripe's API, which needs the platform's key.
  .refine((c) => !c.STRIPE_WEBHOOK_SECRET || c.STRIPE_SECRET_KEY, {
    path: ["STRIPE_WEBHOOK_SECRET"],
    message: "needs STRIPE_SECRET_KEY too: each event is checked against Stripe's API with the platform's key",
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

// Their values may hold passwords; an error names them without echoing the value into logs.
const SECRET_VARIABLES = new Set([
  "DATABASE_URL",
  "COOKIE_SECRET",
  "PAYOUT_ENCRYPTION_KEYS",
  "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
]);

/** Parses the environment once. A bad value throws one line naming the variable and what is expected. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = configSchema.safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? "environment");
  const shown = SECRET_VARIABLES.has(name) ? "" : `=${JSON.stringify(env[name] ?? "")}`;
  throw new ConfigError(`invalid ${name}${shown}: ${issue?.message ?? "invalid value"}`);
}
