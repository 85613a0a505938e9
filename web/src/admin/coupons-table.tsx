import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { api } from "../shared/api.js";
import { Badge } from "../shared/badge.js";
import { Button } from "../shared/button.js";
import { CopyButton } from "../shared/copy-button.js";
import { formatDate } from "../shared/format.js";
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

interface CouponsTableProps {
  coupons: Coupon[];
  owner: { heading: string; name: (coupon: Coupon) => string; href: (coupon: Coupon) => string };
  canWrite: boolean;
}

/** Coupon codes and the partner each one credits. */
export function CouponsTable({ coupons, owner, canWrite }: CouponsTableProps) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Code</th>
          <th scope="col">{owner.heading}</th>
          <th scope="col">Status</th>
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
