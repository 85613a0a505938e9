import { DialogShell, type DialogShellProps } from "./dialog-shell.js";

/** A panel that slides in from the right over the page: a native modal <dialog>, so Escape and focus work. */
export function Drawer(props: Omit<DialogShellProps, "footer">) {
  return <DialogShell {...props} kind="drawer" className="drawer" />;
}
