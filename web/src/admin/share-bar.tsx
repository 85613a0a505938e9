import { formatShare } from "../shared/money.js";

/** A partner's share of a conversion (basis points) as a small bar and a percentage. */
export function ShareBar({ bps, muted = false }: { bps: number; muted?: boolean }) {
  return (
    <span className={muted ? "share share-muted" : "share"}>
      <span className="share-track" aria-hidden="true">
        <span className="share-fill" style={{ width: `${Math.min(100, bps / 100)}%` }} />
      </span>
      <span className="share-value">{formatShare(bps)}</span>
    </span>
  );
}
