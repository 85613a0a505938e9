/**
 * The engine writes partners and programs into its sentences by id ("last click: 100% to ptn_…", "belongs to
 * program prg_…, not prg_…"), and a stored decision keeps those words. Readers get names, looked up when the
 * sentence is read: a renamed partner or program reads with its new name, and decisions stored by any earlier
 * version read the same way.
 */
const NAMED_ID = /\b(?:ptn|prg)_[0-9a-z]+/g;

/** Display names by partner or program id, as `displayNames` reads them. */
export type DisplayNames = ReadonlyMap<string, string>;

/** The partner and program ids a sentence mentions, so that their names can be read in one query. */
export const namedIdsIn = (text: string): string[] => text.match(NAMED_ID) ?? [];

/** The partner's or program's name; its id when nothing has it (any more), so a sentence never loses whom it meant. */
export const nameOf = (names: DisplayNames, id: string): string => names.get(id) || id;

/** The sentence with each partner and program id replaced by its display name. */
export const withNames = (text: string, names: DisplayNames): string =>
  text.replace(NAMED_ID, (id) => nameOf(names, id));
