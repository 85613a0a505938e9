import type { couponCodes, links } from "../../db/schema/index.js";
import type { CouponView, LinkView } from "./links.schemas.js";

export const toLinkView = (l: typeof links.$inferSelect): LinkView => ({
  id: l.id,
  programId: l.programId,
  partnerId: l.partnerId,
  enrollmentId: l.enrollmentId,
  slug: l.slug,
  path: `/r/${l.slug}`,
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
