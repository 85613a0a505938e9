import { CopyButton } from "./copy-button.js";

/** A block of code to paste elsewhere (a script tag, a curl command) with a Copy button. */
export function CodeBlock({ code, label, language }: { code: string; label: string; language?: string }) {
  return (
    <figure className="code-block">
      <figcaption className="code-block-head">
        <span className="code-block-label">{label}</span>
        {language && <span className="code-block-lang">{language}</span>}
        <CopyButton value={code} label={label.toLowerCase()} variant="ghost" />
      </figcaption>
      <pre className="code-block-body">
        <code>{code}</code>
      </pre>
    </figure>
  );
}
