import { createHmac } from "node:crypto";
import { isbot } from "isbot";
import { UAParser } from "ua-parser-js";
import { PrefixedHash } from "../../lib/prefixed-hash.js";

export interface DeviceInfo {
  deviceType: string;
  browser: string | null;
  os: string | null;
}

const uaCache = new Map<string, DeviceInfo>();
const UA_CACHE_MAX = 5_000;

/** Device, browser and OS from the user agent; the few thousand distinct agents of real traffic are cached. */
export function describeDevice(userAgent: string): DeviceInfo {
  const hit = uaCache.get(userAgent);
  if (hit) return hit;
  const parsed = new UAParser(userAgent).getResult();
  const info: DeviceInfo = {
    deviceType: parsed.device.type ?? "desktop",
    browser: parsed.browser.name ?? null,
    os: parsed.os.name ?? null,
  };
  if (uaCache.size >= UA_CACHE_MAX) uaCache.delete(uaCache.keys().next().value!);
  uaCache.set(userAgent, info);
  return info;
}

const botCache = new Map<string, boolean>();

/** Missing user agents are treated as bots: real browsers always send one. Verdicts are cached per agent string. */
export function isBotAgent(userAgent: string | undefined): boolean {
  if (!userAgent) return true;
  let bot = botCache.get(userAgent);
  if (bot === undefined) {
    bot = isbot(userAgent);
    if (botCache.size >= UA_CACHE_MAX) botCache.delete(botCache.keys().next().value!);
    botCache.set(userAgent, bot);
  }
  return bot;
}

/**
 * IPs are never stored: a SHA-256 with a salt derived per UTC day from an installation secret. The same
 * visitor hashes alike within a day (velocity checks work) and differently the next (no long-term profile).
 */
export class IpHasher {
  #day = -1;
  /** The day's salt as the prefix: one one-shot hash per click, no allocation. */
  #salted = new PrefixedHash(Buffer.alloc(32));
  constructor(private readonly secret: string) {}

  hash(ip: string, at: Date): string {
    const day = Math.floor(at.getTime() / 86_400_000);
    if (day !== this.#day) {
      this.#day = day;
      this.#salted.setPrefix(
        createHmac("sha256", this.secret)
          .update(new Date(day * 86_400_000).toISOString().slice(0, 10))
          .digest(),
      );
    }
    return this.#salted.digest(ip);
  }
}
