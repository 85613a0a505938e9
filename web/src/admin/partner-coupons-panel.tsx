import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, queryString } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { PlusIcon } from "../shared/icons.js";
import { SkeletonRows } from "../shared/loading.js";
import { QueryError } from "../shared/query-error.js";
import type { Coupon, PartnerDetail } from "../shared/types.js";
import { adminKeys } from "./admin-queries.js";
import { CouponsTable } from "./coupons-table.js";
import { NewCouponDialog } from "./new-coupon-dialog.js";
import { linkableEnrollments } from "./partner-links-panel.js";
import { useMe } from "./use-me.js";

/** One partner's coupon codes across its programs. */
export function PartnerCouponsPanel({
  partner,
  programName,
}: {
  partner: PartnerDetail;
  programName: (programId: string) => string;
}) {
  const { can } = useMe();
  const [creating, setCreating] = useState(false);
  const coupons = useQuery({
    queryKey: [...adminKeys.coupons, { partnerId: partner.id }],
    queryFn: () =>
      api.get<{ items: Coupon[] }>(`/v1/coupons${queryString({ partnerId: partner.id })}`).then((r) => r.items),
  });
  const eligible = linkableEnrollments(partner, programName);
  return (
    <section className="card card-flush" aria-label="Coupons">
      <div className="card-head">
        <h2 className="card-title">Coupon codes</h2>
        {can("partners:write") && eligible.length > 0 && (
          <Button size="sm" icon={<PlusIcon size={15} />} onClick={() => setCreating(true)}>
            New coupon
          </Button>
        )}
      </div>
      {coupons.isPending ? (
        <SkeletonRows rows={2} columns={4} />
      ) : coupons.isError ? (
        <QueryError error={coupons.error} onRetry={() => coupons.refetch()} />
      ) : coupons.data.length === 0 ? (
        <p className="card-empty">
          No coupon codes. A code credits this partner for orders that use it, even without a click.
        </p>
      ) : (
        <CouponsTable
          coupons={coupons.data}
          owner={{
            heading: "Program",
            name: (c) => programName(c.programId),
            href: (c) => `/admin/programs/${c.programId}/coupons`,
          }}
          canWrite={can("partners:write")}
        />
      )}
      {creating && (
        <NewCouponDialog enrollments={eligible} enrollmentLabel="Program" onClose={() => setCreating(false)} />
      )}
    </section>
  );
}
