/** Capitalises a server message, unless it starts with a hostname, a path or an id ("evil.example is not…"). */
export function sentenceCase(text: string): string {
  const first = text.split(/\s/, 1)[0] ?? "";
  if (/[./_:@]/.test(first) || /\d/.test(first)) return text;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
