import { useEffect, useState } from "react";
import { Button, type ButtonVariant } from "./button.js";
import { copyText } from "./clipboard.js";
import { CheckIcon, CopyIcon } from "./icons.js";

const FAILED = "Copy failed — select and copy by hand";

/**
 * A Copy button that confirms for two seconds; `label` names what is copied for screen readers. The outcome is also
 * said in a polite live region (the button's own name stays "Copy …", so "Copied" on it alone goes unheard), and a
 * copy the browser refused is shown next to the button for a while.
 */
export function CopyButton({
  value,
  label,
  variant = "secondary",
  size = "sm",
  iconOnly = false,
  disabled = false,
}: {
  value: string;
  label: string;
  variant?: ButtonVariant;
  size?: "sm" | "md";
  iconOnly?: boolean;
  /** Nothing to copy yet (the value is not ready or not valid). */
  disabled?: boolean;
}) {
  const [result, setResult] = useState<"copied" | "failed" | null>(null);
  useEffect(() => {
    if (!result) return;
    const timer = window.setTimeout(() => setResult(null), result === "copied" ? 2000 : 6000);
    return () => window.clearTimeout(timer);
  }, [result]);
  const copied = result === "copied";
  return (
    <span className="copy-control">
      <Button
        variant={variant}
        size={size}
        className={iconOnly ? "btn-icon copy-button" : "copy-button"}
        icon={copied ? <CheckIcon size={15} /> : <CopyIcon size={15} />}
        aria-label={`Copy ${label}`}
        disabled={disabled}
        title={copied ? "Copied" : result === "failed" ? FAILED : `Copy ${label}`}
        onClick={async () => {
          // A second click says it again: the region is emptied first so the same words are a change.
          setResult(null);
          setResult((await copyText(value)) ? "copied" : "failed");
        }}
      >
        {iconOnly ? null : copied ? "Copied" : "Copy"}
      </Button>
      <span role="status" className={result === "failed" ? "copy-failed" : "visually-hidden"}>
        {copied ? `Copied ${label}` : result === "failed" ? FAILED : ""}
      </span>
    </span>
  );
}
