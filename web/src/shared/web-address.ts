/** An address that names its scheme ("https:", "mailto:"); without one, people mean https. */
export const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * An address as people paste it, with https:// put in front when it has no scheme ("acme.example/pricing"), as a
 * browser's address bar takes it. Blank text and a path ("/pricing", which is not an address) stay as they are.
 */
export function withScheme(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.startsWith("/") || HAS_SCHEME.test(trimmed)) return trimmed;
  return `https://${trimmed}`;
}
