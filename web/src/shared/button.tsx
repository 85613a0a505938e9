import type { ButtonHTMLAttributes, ReactNode } from "react";
import { Spinner } from "./spinner.js";

export type ButtonVariant = "primary" | "secondary" | "ghost" | "danger" | "link";

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: "sm" | "md" | "lg";
  loading?: boolean;
  icon?: ReactNode;
}

export function Button({
  variant = "secondary",
  size = "md",
  loading = false,
  icon,
  className,
  children,
  disabled,
  type = "button",
  onClick,
  ...rest
}: ButtonProps) {
  const classes = ["btn", `btn-${variant}`, size !== "md" ? `btn-${size}` : "", className ?? ""].filter(Boolean);
  // Busy, a button stays focusable (a disabled one drops keyboard focus to the page) but does nothing: neither
  // its handler nor, for a submit button, the form's submit runs again.
  const busy = loading && !disabled;
  return (
    <button
      type={type}
      className={classes.join(" ")}
      disabled={disabled}
      aria-disabled={busy || undefined}
      aria-busy={loading}
      onClick={
        busy
          ? (event) => {
              // As a disabled button's would: no submit, and nothing for a clickable row around it either.
              event.preventDefault();
              event.stopPropagation();
            }
          : onClick
      }
      {...rest}
    >
      {loading ? <Spinner size={14} /> : icon}
      {children}
    </button>
  );
}
