import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { fingerprintKey, hashBrowserDevice, hashEmail, hashIp } from "./fingerprint.js";

export type PartnerIdentifierKind = "ip" | "device" | "payout_email";

/**
 * Remembers (as hashes) what identifies a partner's own people, for the self-referral rule: the IPs and browsers
 * (Tributary's device cookie) its users sign in to the portal from, and its payout email. `partner` is the partner id, or a partner user's id.
 */
export async function rememberPartnerIdentifier(
  tx: Db,
  partner: { partnerId: string } | { partnerUserId: string },
  identifier: { kind: PartnerIdentifierKind; value: string },
  at: Date,
): Promise<void> {
  const valueHash =
    identifier.kind === "ip"
      ? hashIp(await fingerprintKey(tx), identifier.value)
      : identifier.kind === "device"
        ? hashBrowserDevice(await fingerprintKey(tx), identifier.value)
        : hashEmail(identifier.value);
  if (!valueHash) return;
  const partnerId =
    "partnerId" in partner
      ? sql`${partner.partnerId}`
      : sql`(select partner_id from partner_users where id = ${partner.partnerUserId})`;
  await tx.execute(
    sql`insert into partner_identifiers (partner_id, kind, value_hash, first_seen_at, last_seen_at)
        select p.id, ${identifier.kind}, ${valueHash}, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
        from (select ${partnerId} as id) p where p.id is not null
        on conflict (partner_id, kind, value_hash) do update set last_seen_at = excluded.last_seen_at`,
  );
}
