/**
 * Query parameters added to a destination without touching the rest of its query. `URL.searchParams` re-serializes
 * the whole query as a form on any change (`?flag` became `?flag=`, `a%20b` became `a+b`, `x;y` became `x%3By`,
 * `/next` became `%2Fnext`), so a visitor landed on another address than the link shows, and a signed or
 * order-sensitive destination stopped working. Here the destination's own pairs are kept byte for byte.
 */

/** A query pair's name as `URLSearchParams` reads it (`+` is a space, percent-escapes decoded). */
const nameOf = (pair: string) => {
  const eq = pair.indexOf("=");
  const raw = (eq < 0 ? pair : pair.slice(0, eq)).replaceAll("+", " ");
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

const encodePair = (name: string, value: string) => new URLSearchParams([[name, value]]).toString();

/** The query's pairs, without the leading "?". */
const pairsOf = (url: URL) => (url.search ? url.search.slice(1).split("&") : []);

/** The names of the URL's query parameters (as URLSearchParams reads them). */
export const queryParamNames = (url: URL): Set<string> => new Set(pairsOf(url).map(nameOf));

/** One parameter as a query pair, encoded as URLSearchParams encodes it. */
export const queryPair = (name: string, value: string) => encodePair(name, value);

/** Whether the URL's query has a parameter of this name (as URLSearchParams.has). */
export function hasQueryParam(url: URL, name: string): boolean {
  return pairsOf(url).some((pair) => nameOf(pair) === name);
}

/**
 * Sets one parameter as `URLSearchParams.set` does — the first pair of that name takes the value in place, later
 * ones are dropped, or it is appended — leaving every other pair exactly as it was written. Mutates `url`.
 */
export function setQueryParam(url: URL, name: string, value: string): URL {
  const pairs = pairsOf(url);
  const encoded = encodePair(name, value);
  let placed = false;
  const kept: string[] = [];
  for (const pair of pairs) {
    if (nameOf(pair) !== name) kept.push(pair);
    else if (!placed) {
      kept.push(encoded);
      placed = true;
    }
  }
  if (!placed) kept.push(encoded);
  // The search setter only escapes what a query cannot hold raw; an href's query has none of it left.
  url.search = kept.join("&");
  return url;
}
