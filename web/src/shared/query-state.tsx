import type { ReactNode } from "react";
import { SkeletonRows } from "./loading.js";
import { QueryError } from "./query-error.js";

/** The part of a react-query result a list needs to show where it stands. */
export interface QueryLike {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}

/**
 * A list's three other states, the same on every page: placeholder rows while the first page loads, the
 * server's explanation with a retry when it fails, and the page's own empty state when there is nothing.
 */
export function QueryState({
  query,
  empty,
  isEmpty,
  skeleton,
  children,
}: {
  query: QueryLike;
  /** Shown instead of the children when `isEmpty`. */
  empty?: ReactNode;
  isEmpty?: boolean;
  skeleton?: { rows?: number; columns?: number };
  children: ReactNode;
}) {
  if (query.isPending) return <SkeletonRows {...skeleton} />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => query.refetch()} />;
  if (isEmpty) return <>{empty}</>;
  return <>{children}</>;
}
