import { useCallback } from "react";
import { useLocation, useSearchParams } from "react-router";

/**
 * Filters kept in the URL so that links, reloads and the back button keep them. The history entry's state (the
 * pages a list was turned through, see useCursorPages) is kept across a change.
 */
export function useSearchState<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const { state } = useLocation();
  const values = Object.fromEntries(keys.map((key) => [key, params.get(key) ?? ""])) as Record<K, string>;
  const set = useCallback(
    (key: K, value: string) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value) next.set(key, value);
          else next.delete(key);
          return next;
        },
        { replace: true, state },
      ),
    [setParams, state],
  );
  /** Several keys in one navigation (two `set` calls in a row would each start from the same URL). */
  const setMany = useCallback(
    (changes: Partial<Record<K, string>>) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(changes) as [K, string | undefined][]) {
            if (value) next.set(key, value);
            else next.delete(key);
          }
          return next;
        },
        { replace: true, state },
      ),
    [setParams, state],
  );
  return [values, set, setMany] as const;
}
