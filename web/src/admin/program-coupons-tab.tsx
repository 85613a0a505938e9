import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, queryString } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { EmptyState } from "../shared/empty-state.js";
import { PlusIcon, TagIcon } from "../shared/icons.js";
import { LINK_FIGURE_DAYS } from "../shared/link-figures.js";
import { SkeletonRows } from "../shared/loading.js";
import { daysWindow } from "../shared/performance-series.js";
import { QueryError } from "../shared/query-error.js";
import type { Coupon, Program } from "../shared/types.js";
import { adminKeys, useProgramEnrollmentsQuery } from "./admin-queries.js";
import { CouponsTable, type CouponUse } from "./coupons-table.js";
import { NewCouponDialog } from "./new-coupon-dialog.js";
import { useMe } from "./use-me.js";
import { usePartnerNames } from "./use-partner-names.js";

/** Coupon codes of a program: a checkout code credits its partner even when there was no click. */
export function ProgramCouponsTab({ program }: { program: Program }) {
  const { can } = useMe();
  const [creating, setCreating] = useState(false);
  const coupons = useQuery({
    queryKey: [...adminKeys.coupons, { programId: program.id }],
    queryFn: () =>
      api.get<{ items: Coupon[] }>(`/v1/coupons${queryString({ programId: program.id })}`).then((r) => r.items),
  });
  const uses = useQuery({
    queryKey: [...adminKeys.coupons, "uses", { programId: program.id }],
    queryFn: () =>
      api
        .get<{ rows: CouponUse[] }>(
          `/v1/stats/coupons${queryString({ programId: program.id, ...daysWindow(LINK_FIGURE_DAYS) })}`,
        )
        .then((r) => new Map(r.rows.map((row) => [row.couponId, row]))),
  });
  const enrollments = useProgramEnrollmentsQuery(program.id);
  const partnerName = usePartnerNames(coupons.data?.map((c) => c.partnerId) ?? [], program.id);
  const eligible = (enrollments.data ?? [])
    .filter((e) => e.status === "approved" || e.status === "active")
    .map((e) => ({ id: e.id, label: e.partner?.name ?? e.partnerId }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const newButton = can("partners:write") && (
    <Button variant="primary" icon={<PlusIcon size={16} />} onClick={() => setCreating(true)}>
      New coupon
    </Button>
  );
  return (
    <section className="card card-flush" aria-label="Coupons">
      <div className="card-head">
        <div>
          <h2 className="card-title">Coupon codes</h2>
          <p className="card-subtitle">
            {program.couponPrecedence === "coupon_over_cookie"
              ? "A code used at checkout wins over a click from another partner."
              : "A click from another partner wins over a code used at checkout."}
          </p>
        </div>
        {coupons.data?.length ? newButton : null}
      </div>
      {coupons.isPending ? (
        <SkeletonRows columns={5} />
      ) : coupons.isError ? (
        <QueryError error={coupons.error} onRetry={() => coupons.refetch()} />
      ) : coupons.data.length === 0 ? (
        <EmptyState icon={<TagIcon size={28} />} title="No coupon codes yet" action={newButton || undefined}>
          Give a partner a code for podcasts, videos and print, where nobody clicks a link. Send the code with your sale
          (<code>couponCode</code>) and the partner gets the credit.
        </EmptyState>
      ) : (
        <CouponsTable
          coupons={coupons.data}
          owner={{
            heading: "Partner",
            name: (c) => partnerName(c.partnerId),
            href: (c) => `/admin/partners/${c.partnerId}`,
          }}
          canWrite={can("partners:write")}
          uses={{ loading: uses.isPending, byId: uses.data ?? new Map() }}
        />
      )}
      {creating && (
        <NewCouponDialog enrollments={eligible} enrollmentLabel="Partner" onClose={() => setCreating(false)} />
      )}
    </section>
  );
}
