import { useEffect, useState } from "react";
import { Button, type ButtonVariant } from "./button.js";
import { copyText } from "./clipboard.js";
import { CheckIcon, CopyIcon } from "./icons.js";

/** A Copy button that confirms for two seconds; `label` names what is copied for screen readers. */
export function CopyButton({
  value,
  label,
  variant = "secondary",
  size = "sm",
  iconOnly = false,
}: {
  value: string;
  label: string;
  variant?: ButtonVariant;
  size?: "sm" | "md";
  iconOnly?: boolean;
}) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), 2000);
    return () => window.clearTimeout(timer);
  }, [copied]);
  return (
    <Button
      variant={variant}
      size={size}
      className={iconOnly ? "btn-icon copy-button" : "copy-button"}
      icon={copied ? <CheckIcon size={15} /> : <CopyIcon size={15} />}
      aria-label={`Copy ${label}`}
      title={copied ? "Copied" : `Copy ${label}`}
      onClick={async () => setCopied(await copyText(value))}
    >
      {iconOnly ? null : copied ? "Copied" : "Copy"}
    </Button>
  );
}
