import type { Touchpoint } from "../attribution/attribution.types.js";
import { type ClickIdKeys, verifyClickId } from "../tracking/click-id.js";

export interface RejectedClickId {
  clickId: string;
  reason: "malformed" | "unknown_key" | "bad_signature";
}

/**
 * Turns the click ids a conversion presents into touchpoints. The signature is the only check needed: the
 * id itself says program, partner, link and time. A forged or damaged id is reported, never trusted.
 */
export function resolveTouchpoints(keys: ClickIdKeys, clickId: string | undefined, touchpoints: string[] = []) {
  const tokens = [...new Set([...touchpoints, ...(clickId ? [clickId] : [])])];
  const accepted: Touchpoint[] = [];
  const rejected: RejectedClickId[] = [];
  for (const token of tokens) {
    const verified = verifyClickId(keys, token);
    if (!verified.ok) {
      rejected.push({ clickId: token.slice(0, 120), reason: verified.reason });
      continue;
    }
    const { claims } = verified;
    accepted.push({
      clickId: claims.clickRowId,
      programId: claims.programId,
      partnerId: claims.partnerId,
      linkId: claims.linkId,
      at: claims.at,
      source: token === clickId ? "click_id" : "cookie",
    });
  }
  return { accepted, rejected };
}
