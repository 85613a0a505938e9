import { type RefObject, useEffect } from "react";

/** After a failed submit, bring the first invalid input (or the error banner) into view and focus it. */
export function useFocusFirstError(formRef: RefObject<HTMLElement | null>, error: unknown): void {
  useEffect(() => {
    if (!error || !formRef.current) return;
    const target = formRef.current.querySelector<HTMLElement>('[aria-invalid="true"], [role="alert"]');
    if (!target) return;
    target.scrollIntoView({ block: "center", behavior: "smooth" });
    if (target.matches("input, select, textarea")) target.focus({ preventScroll: true });
  }, [error, formRef]);
}
