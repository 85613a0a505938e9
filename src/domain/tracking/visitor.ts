import { isbot } from "isbot";
import { UAParser } from "ua-parser-js";

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
