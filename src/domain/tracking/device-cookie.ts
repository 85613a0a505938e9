import { randomInto } from "../../lib/random-pool.js";

/**
 * Tributary's own first-party device cookie. The redirect (`/r/<slug>`) and the partner portal are served from
 * the same origin, so a browser carries the same id when it follows a partner link and when a partner user signs
 * in: that is how a partner clicking its own link to buy is recognised (the self-referral rule, by device).
 * The id is random and means nothing else; only its keyed hash is stored.
 */
export const DEVICE_COOKIE = "tributary_device";
/** A year: long enough to link a partner's sign-ins with its clicks, under the 400 days browsers cap cookies at. */
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 86_400;

const DEVICE_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** The cookie's id if it is one we could have set; anything else (tampered, truncated) is replaced. */
export const validDeviceId = (value: string | undefined): string | undefined =>
  value !== undefined && DEVICE_ID.test(value) ? value : undefined;

const idBytes = Buffer.alloc(16);

/** 128 random bits, base64url: 22 characters. */
export const newDeviceId = (): string => {
  randomInto(idBytes, 0, 16);
  return idBytes.toString("base64url");
};
