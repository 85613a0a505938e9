import { Spinner } from "./spinner.js";

/** A page-sized placeholder while the first data loads. */
export function PageLoading({ label = "Loading" }: { label?: string }) {
  return (
    <div className="page-loading">
      <Spinner size={24} label={label} />
    </div>
  );
}

export function SkeletonRows({ rows = 5, columns = 4 }: { rows?: number; columns?: number }) {
  return (
    <div className="skeleton-table" aria-hidden="true">
      {Array.from({ length: rows }, (_, row) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder rows never reorder
        <div className="skeleton-row" key={row}>
          {Array.from({ length: columns }, (_, col) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder cells never reorder
            <span className="skeleton" key={col} style={{ width: `${40 + ((row * 7 + col * 13) % 50)}%` }} />
          ))}
        </div>
      ))}
    </div>
  );
}
