import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { api } from "../shared/api.js";
import { Badge } from "../shared/badge.js";
import { Button } from "../shared/button.js";
import { CopyButton } from "../shared/copy-button.js";
import { formatDate } from "../shared/format.js";
import { counted, LINK_FIGURE_PERIOD, LinkFiguresLoading, revenueText } from "../shared/link-figures.js";
import { useToast } from "../shared/toast.js";
import type { Coupon } from "../shared/types.js";
import { adminKeys } from "./admin-queries.js";

function CouponToggle({ coupon }: { coupon: Coupon }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const toggle = useMutation({
    mutationFn: () => api.patch<Coupon>(`/v1/coupons/${coupon.id}`, { disabled: !coupon.disabled }),
    onSuccess: (updated) => {
      queryClient.invalidateQueries({ queryKey: adminKeys.coupons });
      toast.success(`${updated.code} ${updated.disabled ? "disabled" : "enabled"}`);
    },
    onError: (error) => toast.error(error.message),
  });
  return (
    <Button
      size="sm"
      variant="ghost"
      loading={toggle.isPending}
      onClick={() => toggle.mutate()}
      aria-label={`${coupon.disabled ? "Enable" : "Disable"} ${coupon.code}`}
    >
      {coupon.disabled ? "Enable" : "Disable"}
    </Button>
  );
}

/** How a code was used over the last 30 days (GET /v1/stats/coupons). */
export interface CouponUse {
  couponId: string;
  leads: number;
  sales: number;
  revenue: Record<string, number>;
}

interface CouponsTableProps {
  coupons: Coupon[];
  owner: { heading: string; name: (coupon: Coupon) => string; href: (coupon: Coupon) => string };
  canWrite: boolean;
  /** Each code's use, when the table shows it (the program's list); undefined while it loads. */
  uses?: { loading: boolean; byId: ReadonlyMap<string, CouponUse> };
}

/** "2 sales · 1 lead · $110.00": what the code brought, net of refunds. */
function CouponUseCell({ use, loading }: { use: CouponUse | undefined; loading: boolean }) {
  if (!use) return loading ? <LinkFiguresLoading /> : <span className="muted">—</span>;
  if (use.leads + use.sales === 0)
    return (
      <span className="muted" title={`Not used in the ${LINK_FIGURE_PERIOD.toLowerCase()}`}>
        Not used
      </span>
    );
  const revenue = revenueText(use.revenue);
  const counts = [counted(use.sales, "sale", "sales"), counted(use.leads, "lead", "leads")];
  return <span className="coupon-use">{[...counts, ...(revenue === "—" ? [] : [revenue])].join(" · ")}</span>;
}

/** Coupon codes and the partner each one credits. */
export function CouponsTable({ coupons, owner, canWrite, uses }: CouponsTableProps) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Code</th>
          <th scope="col">{owner.heading}</th>
          <th scope="col">Status</th>
          {uses && <th scope="col">{LINK_FIGURE_PERIOD}</th>}
          <th scope="col">Created</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {coupons.map((coupon) => (
          <tr key={coupon.id} className={coupon.disabled ? "row-muted" : undefined}>
            <td>
              <span className="coupon-code">{coupon.code}</span>
            </td>
            <td>
              <Link className="cell-link" to={owner.href(coupon)}>
                {owner.name(coupon)}
              </Link>
            </td>
            <td>{coupon.disabled ? <Badge tone="muted">Disabled</Badge> : <Badge tone="success">Active</Badge>}</td>
            {uses && (
              <td data-label={LINK_FIGURE_PERIOD}>
                <CouponUseCell use={uses.byId.get(coupon.id)} loading={uses.loading} />
              </td>
            )}
            <td>{formatDate(coupon.createdAt)}</td>
            <td className="cell-actions">
              <div className="action-row">
                <CopyButton value={coupon.code} label={`coupon ${coupon.code}`} iconOnly />
                {canWrite && <CouponToggle coupon={coupon} />}
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
