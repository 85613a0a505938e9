import { type ReactNode, useEffect, useId, useRef } from "react";
import { createPortal } from "react-dom";
import { XIcon } from "./icons.js";

export interface DialogShellProps {
  open: boolean;
  title: ReactNode;
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
}

const FIRST_FIELD = ":is(input:not([type=hidden]), select, textarea):not([disabled])";

interface ShellLook {
  /** The family its parts' classes are named after: `modal-body`, `drawer-header`… */
  kind: "modal" | "drawer";
  className: string;
}

/**
 * A native modal <dialog> with a titled header and a close button, shared by Modal and Drawer: showModal traps
 * focus, Escape and a click on the backdrop close it, and a portal keeps it out of whatever (a table cell, a card)
 * rendered it.
 */
export function DialogShell({
  open,
  title,
  description,
  onClose,
  children,
  footer,
  kind,
  className,
}: DialogShellProps & ShellLook) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!open || !dialog) return;
    // Where focus was (the button that opened it), to go back to when it closes or its caller unmounts it: a
    // dialog removed from the page while open would otherwise leave focus on <body>.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // A form starts in its first field, not on the header's close button; a drawer that only shows keeps it there.
    dialog.querySelector<HTMLElement>(`.${kind}-content ${FIRST_FIELD}`)?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, [open, kind]);
  return createPortal(
    <dialog
      ref={ref}
      className={className}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (event.target === ref.current) onClose();
      }}
      onKeyDown={(event) => {
        // A dialog inside a page that listens for Escape (a drawer over a list) must not close both.
        if (event.key === "Escape") event.stopPropagation();
      }}
    >
      {open && (
        <div className={`${kind}-body`}>
          <header className={`${kind}-header`}>
            <div>
              <h2 id={titleId} className={`${kind}-title`}>
                {title}
              </h2>
              {description && <div className={`${kind}-description`}>{description}</div>}
            </div>
            <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
              <XIcon size={18} />
            </button>
          </header>
          <div className={`${kind}-content`}>{children}</div>
          {footer && <footer className={`${kind}-footer`}>{footer}</footer>}
        </div>
      )}
    </dialog>,
    document.body,
  );
}
