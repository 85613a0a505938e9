import { type RefObject, useEffect } from "react";
import { useLocation } from "react-router";

/**
 * Keeps the current page's link (`aria-current="page"`) in view in a navigation strip that scrolls sideways (tabs on
 * a phone), on mount and on every route change. Only the strip scrolls, as `scrollIntoView({ inline: "nearest" })`
 * would, but without also scrolling the page to where the strip is.
 */
export function useActiveInView(stripRef: RefObject<HTMLElement | null>): void {
  const { pathname } = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a route change is what moves the current link
  useEffect(() => {
    const strip = stripRef.current;
    const active = strip?.querySelector<HTMLElement>('[aria-current="page"]');
    if (!strip || !active) return;
    const box = strip.getBoundingClientRect();
    const item = active.getBoundingClientRect();
    if (item.left < box.left) strip.scrollLeft -= box.left - item.left;
    else if (item.right > box.right) strip.scrollLeft += item.right - box.right;
  }, [stripRef, pathname]);
}
