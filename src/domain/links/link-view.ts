import type { couponCodes, links } from "../../db/schema/index.js";
import type { CouponView, LinkView } from "./links.schemas.js";

/** A link as the API shows it; `linkDomain` is its program's (programs.link_domain), null for none. */
export const toLinkView = (l: typeof links.$inferSelect, linkDomain: string | null): LinkView => ({
  id: l.id,
  programId: l.programId,
  partnerId: l.partnerId,
  enrollmentId: l.enrollmentId,
  slug: l.slug,
  path: `/r/${l.slug}`,
  url: linkDomain ? `https://${linkDomain}/r/${l.slug}` : null,
  destinationUrl: l.destinationUrl,
  isDefault: l.isDefault,
  disabled: l.disabledAt !== null,
  createdAt: l.createdAt.toISOString(),
});

export const toCouponView = (c: typeof couponCodes.$inferSelect): CouponView => ({
  id: c.id,
  programId: c.programId,
  partnerId: c.partnerId,
  enrollmentId: c.enrollmentId,
  code: c.code,
  disabled: c.disabledAt !== null,
  createdAt: c.createdAt.toISOString(),
});
