import { Button } from "./button.js";
import { ChevronLeftIcon, ChevronRightIcon } from "./icons.js";

interface CursorPagerProps {
  page: number;
  count: number;
  hasPrevious: boolean;
  nextCursor: string | null | undefined;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
  noun?: string;
}

export function CursorPager({
  page,
  count,
  hasPrevious,
  nextCursor,
  onPrevious,
  onNext,
  noun = "results",
}: CursorPagerProps) {
  if (!hasPrevious && !nextCursor) return null;
  return (
    <nav className="pager" aria-label="Pagination">
      <span className="pager-info">
        Page {page} · {count} {noun}
      </span>
      <div className="pager-buttons">
        <Button size="sm" icon={<ChevronLeftIcon size={16} />} disabled={!hasPrevious} onClick={onPrevious}>
          Previous
        </Button>
        <Button size="sm" disabled={!nextCursor} onClick={() => nextCursor && onNext(nextCursor)}>
          Next
          <ChevronRightIcon size={16} />
        </Button>
      </div>
    </nav>
  );
}
