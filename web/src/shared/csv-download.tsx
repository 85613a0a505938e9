import { DownloadIcon } from "./icons.js";

/**
 * A CSV download of what a list or statement shows: a plain link, so the browser streams the file to disk with
 * the session cookie, however long the list.
 */
export function CsvDownload({
  href,
  label = "Download CSV",
  className,
}: {
  href: string;
  label?: string;
  className?: string;
}) {
  return (
    <a className={["btn btn-secondary", className].filter(Boolean).join(" ")} href={href} download>
      <DownloadIcon size={16} /> {label}
    </a>
  );
}
