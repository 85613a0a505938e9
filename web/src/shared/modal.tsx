import { DialogShell, type DialogShellProps } from "./dialog-shell.js";

interface ModalProps extends DialogShellProps {
  size?: "sm" | "md" | "lg";
}

/** A centred modal dialog: focus is trapped and Escape closes it. */
export function Modal({ size = "md", ...props }: ModalProps) {
  return <DialogShell {...props} kind="modal" className={`modal modal-${size}`} />;
}
