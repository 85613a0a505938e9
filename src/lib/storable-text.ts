/**
 * Text PostgreSQL can store as it was sent. A NUL character cannot be stored in text or jsonb at all, and a lone
 * UTF-16 surrogate (JSON's "\ud800") is not a character: the driver's UTF-8 turns it into U+FFFD, so two different
 * order ids could become one and the second sale would be taken for a retry of the first.
 */
export const isStorableText = (text: string) => !text.includes("\u0000") && text.isWellFormed();

/** RFC 6901: "~" and "/" in a key are escaped in a JSON pointer. */
const pointerToken = (key: string) => key.replaceAll("~", "~0").replaceAll("/", "~1");

const UNSTORABLE_KEY = Symbol("unstorable key");

/** Arrays and objects a request part may nest; real inputs nest a few, and the walk below must stay bounded. */
export const MAX_NESTING = 32;

/**
 * Where a parsed request part (a JSON body, a query string, path parameters) holds a string or a key that is not
 * storable text, as JSON pointers ("/orderId", "/products/0/id"); empty when it holds none. `tooDeep` is the first
 * array or object nested deeper than MAX_NESTING, whose contents are not looked at: iterative, so a 10 KB body of
 * brackets cannot exhaust the stack (a 500) before the route's schema refuses it.
 */
export function unstorableTextIn(value: unknown): { unstorable: string[]; tooDeep?: string } {
  const unstorable: string[] = [];
  let tooDeep: string | undefined;
  // A key that is not storable text waits its turn as UNSTORABLE_KEY, so fields are reported in document order.
  const pending: [value: unknown, at: string, depth: number][] = [[value, "", 0]];
  while (pending.length > 0) {
    const [item, at, depth] = pending.pop()!;
    if (item === UNSTORABLE_KEY) {
      unstorable.push(at);
      continue;
    }
    if (typeof item === "string") {
      if (!isStorableText(item)) unstorable.push(at || "/");
      continue;
    }
    // A raw body (a signed webhook's bytes) is checked where it is parsed, if at all.
    if (item === null || typeof item !== "object" || ArrayBuffer.isView(item)) continue;
    if (depth >= MAX_NESTING) {
      tooDeep ??= at || "/";
      continue;
    }
    const children: [unknown, string, number][] = [];
    if (Array.isArray(item)) for (let i = 0; i < item.length; i++) children.push([item[i], `${at}/${i}`, depth + 1]);
    else
      for (const [key, child] of Object.entries(item)) {
        const path = `${at}/${pointerToken(key)}`;
        children.push([isStorableText(key) ? child : UNSTORABLE_KEY, path, depth + 1]);
      }
    // Reversed onto the stack, so fields are reported in the order they were sent.
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
  }
  return tooDeep === undefined ? { unstorable } : { unstorable, tooDeep };
}
