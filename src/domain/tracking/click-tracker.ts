import { hashBrowserDevice } from "../fraud/fingerprint.js";
import type { AdClick } from "./ad-click.js";
import { type ClickIdKeys, clickIdHeader, signClickId, verifyClickId } from "./click-id.js";
import type { ClickWriter, QueuedClick } from "./click-writer.js";
import type { RedirectTarget } from "./link-cache.js";
import { describeDevice, isBotAgent } from "./visitor.js";

export const SUB_ID_KEYS = ["sub1", "sub2", "sub3", "sub4", "sub5"] as const;
export type SubIds = Partial<Record<(typeof SUB_ID_KEYS)[number], string>>;

/**
 * The sub-ids of a parsed query string or of the snippet's body: strings only. Given twice (an ad network
 * appending its own), a query parser makes an array, and the link's own value comes first.
 */
export function readSubIds(source: Record<string, unknown> | undefined): SubIds {
  const subIds: SubIds = {};
  if (!source) return subIds;
  for (const key of SUB_ID_KEYS) {
    const given = source[key];
    const value = Array.isArray(given) ? given[0] : given;
    if (typeof value === "string") subIds[key] = value;
  }
  return subIds;
}
/** A visitor who clicks the same link again within this time keeps its click id and is not counted twice. */
export const REPEAT_CLICK_MS = 60 * 60 * 1000;

export interface ClickInput {
  target: RedirectTarget;
  at: Date;
  ip: string;
  userAgent: string | undefined;
  referrer: string | undefined;
  country: string | undefined;
  subIds: SubIds;
  /** The paid ad's click id the visit carried (adClickInQuery, adClickNamed), if any. */
  adClick: AdClick | undefined;
  /** The page a deep link named (deepLinkDestination), if any. */
  landingUrl?: string | undefined;
  /** The click id the visitor already holds (cookie), if any. */
  existingToken: string | undefined;
  /** Tributary's device cookie (device-cookie.ts); the snippet's cross-site calls have none. */
  deviceId: string | undefined;
  source: "redirect" | "snippet";
}

export type ClickOutcome =
  | { kind: "bot" }
  | { kind: "untracked" }
  | { kind: "repeat"; token: string }
  | {
      kind: "counted";
      token: string;
      clickRowId: string;
      /** Settles once the click's batch has been written (see ClickWriter.add); only `sync` durability waits. */
      committed: Promise<void>;
    };

// PostgreSQL text holds neither NUL nor half a surrogate pair: such a value would fail its whole batch of clicks.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** What is left of a value PostgreSQL can store, or null when nothing is (`?sub1=%00` is no sub-id, not ""). */
const clip = (value: string | undefined, max: number) =>
  value?.slice(0, max).replaceAll("\0", "").replace(LONE_SURROGATE, "\uFFFD") || null;

/** Decides what a click is worth and queues its row; the caller turns the outcome into a response. */
export class ClickTracker {
  /** Per link, the fixed bytes of its click ids (program, partner and link never change for a link). */
  readonly #headers = new Map<string, Buffer>();

  constructor(
    private readonly keys: ClickIdKeys,
    private readonly writer: ClickWriter,
    /** The installation's fingerprint key, which the portal's sign-ins hash their device cookie with too. */
    private readonly fingerprintKey: Buffer,
  ) {}

  track(input: ClickInput): ClickOutcome {
    if (isBotAgent(input.userAgent)) return { kind: "bot" };
    if (!input.target.tracked) return { kind: "untracked" };
    if (input.existingToken) {
      const previous = verifyClickId(this.keys, input.existingToken);
      if (
        previous.ok &&
        previous.claims.linkId === input.target.linkId &&
        input.at.getTime() - previous.claims.at.getTime() < REPEAT_CLICK_MS
      ) {
        return { kind: "repeat", token: input.existingToken };
      }
    }
    const { target } = input;
    let header = this.#headers.get(target.linkId);
    if (!header) {
      header = clickIdHeader(this.keys, target);
      if (this.#headers.size > 100_000) this.#headers.clear();
      this.#headers.set(target.linkId, header);
    }
    const { token, claims } = signClickId(
      this.keys,
      { programId: target.programId, partnerId: target.partnerId, linkId: target.linkId, at: input.at },
      header,
    );
    const device = describeDevice(input.userAgent!);
    const row: QueuedClick = {
      id: claims.clickRowId,
      programId: claims.programId,
      partnerId: claims.partnerId,
      linkId: claims.linkId,
      at: input.at,
      source: input.source,
      // Hashed by the writer with the day's salt, which it may have to load (ip-hasher.ts).
      ip: input.ip,
      ipHash: null,
      deviceHash: input.deviceId ? hashBrowserDevice(this.fingerprintKey, input.deviceId) : null,
      country: input.country && /^[A-Za-z]{2}$/.test(input.country) ? input.country.toUpperCase() : null,
      deviceType: device.deviceType,
      browser: device.browser,
      os: device.os,
      referrer: clip(input.referrer, 500),
      sub1: clip(input.subIds.sub1, 200),
      sub2: clip(input.subIds.sub2, 200),
      sub3: clip(input.subIds.sub3, 200),
      sub4: clip(input.subIds.sub4, 200),
      sub5: clip(input.subIds.sub5, 200),
      adNetwork: input.adClick ? input.adClick.network : null,
      adClickParam: input.adClick ? input.adClick.param : null,
      landingUrl: input.landingUrl ?? null,
    };
    // Buffered callers never await this; the writer logs failures itself.
    return { kind: "counted", token, clickRowId: claims.clickRowId, committed: this.writer.add(row) };
  }
}
