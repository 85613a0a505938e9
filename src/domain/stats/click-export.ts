import { inert } from "../../lib/inert-cell.js";
import type { Ctx } from "../context.js";
import { partnerNames } from "../partners/partner-names.js";
import type { listClicks } from "./list-clicks.js";

type Click = Awaited<ReturnType<typeof listClicks>>["items"][number];
export type ClickExportRow = Click & { partnerName: string };

/** One page of clicks with the partner's name, which a spreadsheet needs and an id does not say. */
export async function withClickNames(ctx: Ctx, items: Click[]): Promise<ClickExportRow[]> {
  const nameOf = await partnerNames(
    ctx,
    items.map((c) => c.partnerId),
  );
  return items.map((c) => ({ ...c, partnerName: nameOf.get(c.partnerId) ?? "" }));
}

/** The columns of `GET /v1/clicks/export`; text a visitor or partner chose (referrer, sub-ids) is kept inert. */
export const CLICK_COLUMNS: { header: string; cell: (c: ClickExportRow) => string | null }[] = [
  { header: "clicked_at", cell: (c) => c.at },
  { header: "click_id", cell: (c) => c.id },
  { header: "program_id", cell: (c) => c.programId },
  { header: "partner_id", cell: (c) => c.partnerId },
  { header: "partner_name", cell: (c) => inert(c.partnerName) },
  { header: "link_id", cell: (c) => c.linkId },
  { header: "link", cell: (c) => (c.linkSlug ? `/r/${c.linkSlug}` : null) },
  { header: "source", cell: (c) => c.source },
  { header: "country", cell: (c) => c.country },
  { header: "device", cell: (c) => c.deviceType },
  { header: "browser", cell: (c) => c.browser },
  { header: "os", cell: (c) => c.os },
  { header: "referrer", cell: (c) => inert(c.referrer) },
  { header: "sub1", cell: (c) => inert(c.sub1) },
  { header: "sub2", cell: (c) => inert(c.sub2) },
  { header: "sub3", cell: (c) => inert(c.sub3) },
  { header: "sub4", cell: (c) => inert(c.sub4) },
  { header: "sub5", cell: (c) => inert(c.sub5) },
  { header: "ad_network", cell: (c) => c.adNetwork },
  { header: "ad_click_param", cell: (c) => c.adClickParam },
  { header: "landing_url", cell: (c) => c.landingUrl },
];
