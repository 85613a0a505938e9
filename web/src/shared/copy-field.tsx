import { useId, useState } from "react";
import { Button } from "./button.js";
import { copyText } from "./clipboard.js";
import { CheckIcon, CopyIcon } from "./icons.js";

/** A read-only value (link, secret) with a Copy button. */
export function CopyField({
  label,
  value,
  hint,
  stacked = false,
}: {
  label: string;
  value: string;
  hint?: string;
  stacked?: boolean;
}) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <div className={stacked ? "copy-field copy-field-stacked" : "copy-field"}>
        <input id={id} className="input input-mono" readOnly value={value} onFocus={(event) => event.target.select()} />
        <Button
          icon={copied ? <CheckIcon size={16} /> : <CopyIcon size={16} />}
          aria-label={`Copy ${label.toLowerCase()}`}
          onClick={async () => {
            const ok = await copyText(value);
            setCopied(ok);
            if (ok) window.setTimeout(() => setCopied(false), 2000);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      {hint && <p className="field-hint">{hint}</p>}
    </div>
  );
}
