const timeFormat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** What a refreshing list or chart says about its figures: live, or since when they are not. */
export function LiveNote({
  query,
  showTime = false,
}: {
  /** The refreshing query (React Query's): whether its last refresh failed, and when its figures arrived. */
  query: { isError: boolean; data: unknown; dataUpdatedAt: number };
  /** "Live · updated 10:42:05" instead of "Live". */
  showTime?: boolean;
}) {
  // A refresh that failed (the connection dropped, the server is restarting) leaves the last figures on screen: say
  // they are not live any more, once (the query keeps retrying).
  if (query.isError && query.data)
    return (
      <p className="live-note live-note-stale" role="status">
        <span className="live-dot" aria-hidden="true" />
        Not updated since {timeFormat.format(query.dataUpdatedAt)} · retrying
      </p>
    );
  // Not a live region: it changes at every refresh, and a screen reader would read it out each time.
  return (
    <p className="live-note">
      <span className="live-dot" aria-hidden="true" />
      Live{showTime && query.dataUpdatedAt ? ` · updated ${timeFormat.format(query.dataUpdatedAt)}` : ""}
    </p>
  );
}
