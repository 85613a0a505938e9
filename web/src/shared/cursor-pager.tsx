import { useRef } from "react";
import { Button } from "./button.js";
import { ChevronLeftIcon, ChevronRightIcon } from "./icons.js";
import type { CursorPages } from "./use-cursor-pages.js";

interface CursorPagerProps {
  pages: CursorPages;
  /** Rows on this page. */
  count: number;
  nextCursor: string | null | undefined;
  noun?: string;
  /** Called before the page changes (a selection of rows on this page, say, no longer applies). */
  onTurn?: () => void;
}

/** "Showing 51–100 clicks", Previous and Next; a turn brings the list's top back into view. */
export function CursorPager({ pages, count, nextCursor, noun = "results", onTurn }: CursorPagerProps) {
  const ref = useRef<HTMLElement>(null);
  if (!pages.hasPrevious && !nextCursor) return null;
  const turn = (go: () => void) => {
    onTurn?.();
    go();
    ref.current?.closest("section, .card")?.scrollIntoView({ block: "start" });
  };
  return (
    <nav className="pager" aria-label="Pagination" ref={ref}>
      <span className="pager-info">
        {count === 0
          ? `No more ${noun}`
          : pages.offset === null
            ? `Showing ${count.toLocaleString()} ${noun}`
            : `Showing ${(pages.offset + 1).toLocaleString()}–${(pages.offset + count).toLocaleString()} ${noun}`}
      </span>
      <div className="pager-buttons">
        <Button
          size="sm"
          icon={<ChevronLeftIcon size={16} />}
          disabled={!pages.hasPrevious}
          onClick={() => turn(pages.previous)}
        >
          Previous
        </Button>
        <Button
          size="sm"
          disabled={!nextCursor}
          onClick={() => nextCursor && turn(() => pages.next(nextCursor, count))}
        >
          Next
          <ChevronRightIcon size={16} />
        </Button>
      </div>
    </nav>
  );
}
