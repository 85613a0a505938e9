/**
 * Text PostgreSQL can store as it was sent. A NUL character cannot be stored in text or jsonb at all, and a lone
 * UTF-16 surrogate (JSON's "\ud800") is not a character: the driver's UTF-8 turns it into U+FFFD, so two different
 * order ids could become one and the second sale would be taken for a retry of the first.
 */
export const isStorableText = (text: string) => !text.includes("\u0000") && text.isWellFormed();

/** RFC 6901: "~" and "/" in a key are escaped in a JSON pointer. */
const pointerToken = (key: string) => key.replaceAll("~", "~0").replaceAll("/", "~1");

/**
 * Where a parsed request part (a JSON body, a query string, path parameters) holds a string or a key that is not
 * storable text, as JSON pointers ("/orderId", "/products/0/id"); empty when it holds none.
 */
export function unstorableTextIn(value: unknown, at = "", found: string[] = []): string[] {
  if (typeof value === "string") {
    if (!isStorableText(value)) found.push(at || "/");
  } else if (ArrayBuffer.isView(value)) {
    // A raw body (a signed webhook's bytes) is checked where it is parsed, if at all.
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) unstorableTextIn(value[i], `${at}/${i}`, found);
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const path = `${at}/${pointerToken(key)}`;
      if (!isStorableText(key)) found.push(path);
      else unstorableTextIn(item, path, found);
    }
  }
  return found;
}
