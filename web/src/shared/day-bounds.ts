/** A date field's value ("2026-03-02", the user's own calendar day) as the instants a filter sends; "" is no filter. */
export const startOfDay = (date: string) => (date ? new Date(`${date}T00:00:00`).toISOString() : undefined);

/** The last millisecond of that day, for filters whose end is inclusive. */
export const endOfDay = (date: string) => (date ? new Date(`${date}T23:59:59.999`).toISOString() : undefined);

/** The start of the next day, for filters whose end is exclusive. */
export const nextDay = (date: string) => {
  if (!date) return undefined;
  const d = new Date(`${date}T00:00:00`);
  d.setDate(d.getDate() + 1);
  return d.toISOString();
};
