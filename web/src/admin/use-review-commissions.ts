import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../shared/api.js";
import { useToast } from "../shared/toast.js";
import type { ReviewAction, ReviewResult } from "../shared/types.js";
import { adminKeys } from "./admin-queries.js";

const DONE: Record<ReviewAction, string> = { approve: "approved", hold: "put on hold", reject: "rejected" };

export interface ReviewRequest {
  action: ReviewAction;
  ids: string[];
  reason?: string;
}

/**
 * Approve, hold or reject ledger entries (one or many). Entries that cannot move come back in `skipped` with the
 * server's reason; the caller shows them. Corrections derived from an entry (reversals, overrides) move with it.
 */
export function useReviewCommissions(onDone?: (result: ReviewResult, request: ReviewRequest) => void) {
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: (request: ReviewRequest) =>
      api.post<ReviewResult>("/v1/commissions/review", {
        action: request.action,
        ids: request.ids,
        ...(request.reason ? { reason: request.reason } : {}),
      }),
    onSuccess: (result, request) => {
      queryClient.invalidateQueries({ queryKey: adminKeys.commissions });
      const moved = result.updated.filter((e) => request.ids.includes(e.id)).length;
      const derived = result.updated.length - moved;
      if (moved > 0)
        toast.success(
          `${moved} ${moved === 1 ? "entry" : "entries"} ${DONE[request.action]}${derived > 0 ? ` (and ${derived} linked correction${derived === 1 ? "" : "s"})` : ""}`,
        );
      else toast.error(`Nothing was ${DONE[request.action]}`);
      onDone?.(result, request);
    },
  });
}
