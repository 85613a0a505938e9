import { useState } from "react";

export interface CursorPages {
  /** The cursor of the page shown; undefined on the first page. */
  cursor: string | undefined;
  /** 1 for the first page. */
  page: number;
  /** How many rows the pages before this one held. */
  offset: number;
  hasPrevious: boolean;
  /** To the page after this one, which held `count` rows. */
  next: (nextCursor: string, count: number) => void;
  previous: () => void;
}

/**
 * Previous/next over cursor pagination: the cursors of the pages already seen form a stack, each with the number of
 * rows before it. Changing `resetKey` (the filters) starts again from the first page.
 */
export function useCursorPages(resetKey: string): CursorPages {
  const first = [{ cursor: undefined as string | undefined, offset: 0 }];
  const [state, setState] = useState({ key: resetKey, stack: first });
  const stack = state.key === resetKey ? state.stack : first;
  const top = stack[stack.length - 1]!;
  return {
    cursor: top.cursor,
    page: stack.length,
    offset: top.offset,
    hasPrevious: stack.length > 1,
    next: (nextCursor, count) =>
      setState({ key: resetKey, stack: [...stack, { cursor: nextCursor, offset: top.offset + count }] }),
    previous: () => setState({ key: resetKey, stack: stack.length > 1 ? stack.slice(0, -1) : stack }),
  };
}
