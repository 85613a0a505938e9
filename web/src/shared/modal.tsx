import { type ReactNode, useEffect, useId, useRef } from "react";
import { createPortal } from "react-dom";
import { XIcon } from "./icons.js";

interface ModalProps {
  open: boolean;
  title: ReactNode;
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  size?: "sm" | "md" | "lg";
}

/** A native modal <dialog>: focus is trapped and Escape closes it. */
export function Modal({ open, title, description, onClose, children, footer, size = "md" }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  // A portal keeps the dialog out of whatever (a table cell, a card) rendered it.
  return createPortal(
    <dialog
      ref={ref}
      className={`modal modal-${size}`}
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
        <div className="modal-body">
          <header className="modal-header">
            <div>
              <h2 id={titleId} className="modal-title">
                {title}
              </h2>
              {description && <p className="modal-description">{description}</p>}
            </div>
            <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
              <XIcon size={18} />
            </button>
          </header>
          <div className="modal-content">{children}</div>
          {footer && <footer className="modal-footer">{footer}</footer>}
        </div>
      )}
    </dialog>,
    document.body,
  );
}
