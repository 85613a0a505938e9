import { useEffect, useRef } from "react";
import { useLocation, useNavigate, useSearchParams } from "react-router";

export interface CursorPages {
  /** The cursor of the page shown; undefined on the first page. */
  cursor: string | undefined;
  /** How many rows the pages before this one held; null when that is not known (a page opened from a link). */
  offset: number | null;
  hasPrevious: boolean;
  /** To the page after this one, which held `count` rows. */
  next: (nextCursor: string, count: number) => void;
  previous: () => void;
}

interface Page {
  cursor: string | undefined;
  offset: number | null;
}

/**
 * What the history entry of a page remembers: the filters its cursor belongs to, and the pages before it, so
 * Previous and "Showing 51–100" survive a reload.
 */
interface Trail extends Page {
  key: string;
  earlier: Page[];
}

const FIRST: Page = { cursor: undefined, offset: 0 };

/**
 * Previous/next over cursor pagination, kept in the URL: the page's cursor is the `param` query parameter, and each
 * turn is a history entry, so a reload, a shared link and the back button return to the same page. The pages seen
 * before it ride along in the history entry's state. Changing `resetKey` (the filters) starts again from the first
 * page.
 */
export function useCursorPages(resetKey: string, param = "cursor"): CursorPages {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const state = (location.state ?? {}) as Record<string, unknown>;
  const inUrl = params.get(param) ?? undefined;
  const saved = state[param] as Trail | undefined;
  const trail = saved && saved.cursor === inUrl ? saved : undefined;
  // A cursor of other filters: the entry says so (this list was hidden while they changed, or Back/Forward led
  // here), or, for a page opened from a link, the filters changed while it was shown.
  const shownKey = useRef(resetKey);
  const stale = inUrl !== undefined && (trail ? trail.key !== resetKey : shownKey.current !== resetKey);
  useEffect(() => {
    shownKey.current = resetKey;
    if (!stale) return;
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.delete(param);
        return next;
      },
      { replace: true, state: location.state },
    );
  }, [stale, resetKey, param, setParams, location.state]);

  const cursor = stale ? undefined : inUrl;
  const here: Trail =
    cursor === undefined
      ? { ...FIRST, key: resetKey, earlier: [] }
      : (trail ?? { cursor, offset: null, key: resetKey, earlier: [FIRST] });

  const go = (to: Trail) => {
    const search = new URLSearchParams(params);
    if (to.cursor === undefined) search.delete(param);
    else search.set(param, to.cursor);
    navigate({ search: search.toString() }, { state: { ...state, [param]: to } });
  };
  return {
    cursor,
    offset: here.offset,
    hasPrevious: here.earlier.length > 0,
    next: (nextCursor, count) =>
      go({
        cursor: nextCursor,
        offset: here.offset === null ? null : here.offset + count,
        key: resetKey,
        earlier: [...here.earlier, { cursor: here.cursor, offset: here.offset }],
      }),
    previous: () => {
      const before = here.earlier.at(-1);
      if (before) go({ ...before, key: resetKey, earlier: here.earlier.slice(0, -1) });
    },
  };
}
