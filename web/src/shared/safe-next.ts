/** Only same-area paths are followed after sign-in, never another site. */
export const safeNext = (next: string | null, area: "/admin" | "/portal"): string =>
  next && (next === area || next.startsWith(`${area}/`) || next.startsWith(`${area}?`)) && !next.startsWith("//")
    ? next
    : area;
