import { createHmac } from "node:crypto";
import { isIP } from "node:net";
import type { Db } from "../../db/client.js";
import { ensureSetting } from "../../db/settings.js";
import { randomToken, sha256 } from "../../lib/crypto.js";
import { PrefixedHash } from "../../lib/prefixed-hash.js";

const KEY_SETTING = "fraud_fingerprint_key";
const keys = new WeakMap<Db, Buffer>();

/**
 * The installation key behind IP and device hashes, generated at first use and shared by every instance through
 * the settings table. Cached per root database; `db` may be a transaction of `root` (PGlite has one connection:
 * reading through the root while a transaction holds it would wait forever).
 */
export async function fingerprintKey(db: Db, root?: Db): Promise<Buffer> {
  const cached = root && keys.get(root);
  if (cached) return cached;
  const key = Buffer.from(await ensureSetting(db, KEY_SETTING, () => randomToken(32)), "base64url");
  if (root) keys.set(root, key);
  return key;
}

/** IPv4 as is; IPv6 by its /64 network (privacy addresses rotate inside it); IPv4-mapped IPv6 as IPv4. */
export function normalizeIp(raw: string): string | undefined {
  const ip = raw.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return mapped[1];
  const version = isIP(ip);
  if (version === 4) return ip;
  if (version !== 6) return undefined;
  const [head = "", tail] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(":")}::/64`;
}

/**
 * A keyed hash that is the same every day (velocity windows cross midnight and portal sign-in IPs are compared
 * for months) and cannot be reversed without the installation key. Raw addresses are never stored.
 */
export const hashIp = (key: Buffer, ip: string): string | undefined => {
  const normalized = normalizeIp(ip);
  return normalized === undefined ? undefined : keyed(key, `ip:${normalized}`);
};

export const hashDevice = (key: Buffer, deviceId: string): string => keyed(key, `device:${deviceId.trim()}`);

/**
 * Tributary's device cookie (see tracking/device-cookie.ts), hashed on every counted click: a one-shot SHA-256
 * of the installation key and the id, cheaper on the redirect path than an HMAC and as irreversible for a random
 * id. A separate namespace from `hashDevice`, which hashes the device ids vendors send with conversions.
 */
export const hashBrowserDevice = (key: Buffer, deviceId: string): string => {
  // The key and "browser:" as the prefix, kept per key: no allocation per click.
  let hasher = browserHashers.get(key);
  if (!hasher) {
    hasher = new PrefixedHash(Buffer.concat([key, Buffer.from("browser:")]));
    browserHashers.set(key, hasher);
  }
  return hasher.digest(deviceId);
};
const browserHashers = new WeakMap<Buffer, PrefixedHash>();

/** Emails are compared by the same unkeyed SHA-256 the customers table keeps. */
export const hashEmail = (email: string): string => sha256(email.trim().toLowerCase());

const keyed = (key: Buffer, value: string) => createHmac("sha256", key).update(value).digest("base64url").slice(0, 22);
