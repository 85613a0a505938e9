/** `text` with LIKE's wildcards (and its escape character) escaped, so a search for "50%" finds "50%", not "50…". */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** An ILIKE pattern matching values that contain `text` anywhere. */
export const containsPattern = (text: string) => `%${escapeLike(text)}%`;
