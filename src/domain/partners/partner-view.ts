import type { partners } from "../../db/schema/index.js";
import type { PartnerView } from "./partners.schemas.js";

export const toPartnerView = (
  p: typeof partners.$inferSelect,
  enrollments?: PartnerView["enrollments"],
): PartnerView => ({
  id: p.id,
  name: p.name,
  type: p.type,
  country: p.country,
  website: p.website,
  contacts: p.contacts,
  recruitedByPartnerId: p.recruitedByPartnerId,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
  ...(enrollments ? { enrollments } : {}),
});
