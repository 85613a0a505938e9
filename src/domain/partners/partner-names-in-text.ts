/**
 * The engine writes partners into its sentences by id ("last click: 100% to ptn_…"), and a stored decision keeps
 * those words. Readers get names, looked up when the sentence is read: a renamed partner reads with its new name,
 * and decisions stored by any earlier version read the same way.
 */
const PARTNER_ID = /\bptn_[0-9a-z]+/g;

/** Display names by partner id, as `partnerNames` reads them. */
export type PartnerNames = ReadonlyMap<string, string>;

/** The partner ids a sentence mentions, so that their names can be read in one query. */
export const partnerIdsIn = (text: string): string[] => text.match(PARTNER_ID) ?? [];

/** The partner's display name; its id when no partner has it (any more), so a sentence never loses whom it meant. */
export const partnerNameOf = (names: PartnerNames, partnerId: string): string => names.get(partnerId) || partnerId;

/** The sentence with each partner id replaced by the partner's display name. */
export const withPartnerNames = (text: string, names: PartnerNames): string =>
  text.replace(PARTNER_ID, (id) => partnerNameOf(names, id));
