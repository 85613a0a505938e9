import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../shared/api.js";
import type { ReviewAction, ReviewResult } from "../shared/types.js";
import { adminKeys } from "./admin-queries.js";

export interface ReviewRequest {
  action: ReviewAction;
  ids: string[];
  reason?: string;
  /** Where it was asked: the list shows the result where the selection was, the drawer in a toast. */
  from: "list" | "drawer";
}

/**
 * Approve, hold or reject ledger entries (one or many). Entries that cannot move come back in `skipped` with the
 * server's reason; the caller says what happened (it knows where the person is looking). Corrections derived from an
 * entry (reversals, overrides) move with it.
 */
export function useReviewCommissions(onDone?: (result: ReviewResult, request: ReviewRequest) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: ReviewRequest) =>
      api.post<ReviewResult>("/v1/commissions/review", {
        action: request.action,
        ids: request.ids,
        ...(request.reason ? { reason: request.reason } : {}),
      }),
    onSuccess: (result, request) => {
      queryClient.invalidateQueries({ queryKey: adminKeys.commissions });
      onDone?.(result, request);
    },
  });
}
