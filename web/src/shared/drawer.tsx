import { type ReactNode, useEffect, useId, useRef } from "react";
import { createPortal } from "react-dom";
import { XIcon } from "./icons.js";

interface DrawerProps {
  open: boolean;
  title: ReactNode;
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
}

/** A panel that slides in from the right over the page: a native modal <dialog>, so Escape and focus work. */
export function Drawer({ open, title, description, onClose, children }: DrawerProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return createPortal(
    <dialog
      ref={ref}
      className="drawer"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (event.target === ref.current) onClose();
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") event.stopPropagation();
      }}
    >
      {open && (
        <div className="drawer-body">
          <header className="drawer-header">
            <div>
              <h2 id={titleId} className="drawer-title">
                {title}
              </h2>
              {description && <div className="drawer-description">{description}</div>}
            </div>
            <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
              <XIcon size={18} />
            </button>
          </header>
          <div className="drawer-content">{children}</div>
        </div>
      )}
    </dialog>,
    document.body,
  );
}
