/** The Tributary mark: two streams joining into one. */
export function Logo({ size = 28, withName = true }: { size?: number; withName?: boolean }) {
  return (
    <span className="logo">
      <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
        <rect width="32" height="32" rx="8" fill="var(--accent)" />
        <path
          d="M8 9c4 0 6 3 8 7M8 23c4 0 6-3 8-7m0 0h8"
          fill="none"
          stroke="#fff"
          strokeWidth="3"
          strokeLinecap="round"
        />
      </svg>
      {withName && <span className="logo-name">Tributary</span>}
    </span>
  );
}
