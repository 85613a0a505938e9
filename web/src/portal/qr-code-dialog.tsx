import { useMemo, useState } from "react";
import { Button } from "../shared/button.js";
import { Modal } from "../shared/modal.js";
import { qrCodePng, qrCodeSvg, svgDataUrl } from "./qr-code.js";

/** Print size: 1,024 pixels square is sharp on a flyer, a slide or a booth banner. */
const PNG_PIXELS = 1_024;

const save = (blob: Blob, fileName: string) => {
  const href = URL.createObjectURL(blob);
  const anchor = Object.assign(document.createElement("a"), { href, download: fileName });
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(href), 0);
};

/** A link as a QR code to scan from print or a screen, with downloads as SVG (any size) and PNG. */
export function QrCodeDialog({
  url,
  fileName,
  open,
  onClose,
}: {
  url: string;
  /** Without extension: `qr-spring-deal`. */
  fileName: string;
  open: boolean;
  onClose: () => void;
}) {
  const svg = useMemo(() => (open ? qrCodeSvg(url) : ""), [open, url]);
  const [failed, setFailed] = useState(false);
  const downloadPng = () => {
    setFailed(false);
    qrCodePng(svg, PNG_PIXELS).then(
      (png) => save(png, `${fileName}.png`),
      () => setFailed(true),
    );
  };
  return (
    <Modal
      open={open}
      onClose={onClose}
      title="QR code"
      description="Scanning it opens this link: the visit counts as a click, with its page and tags."
      size="sm"
      footer={
        <>
          <Button onClick={() => save(new Blob([svg], { type: "image/svg+xml" }), `${fileName}.svg`)}>
            Download SVG
          </Button>
          <Button variant="primary" onClick={downloadPng}>
            Download PNG
          </Button>
        </>
      }
    >
      <div className="qr-code">
        <img src={svgDataUrl(svg)} alt={`QR code for ${url}`} />
        <code className="qr-code-url">{url}</code>
        {failed && (
          <p className="field-error" role="alert">
            The PNG could not be made in this browser; the SVG works everywhere.
          </p>
        )}
      </div>
    </Modal>
  );
}
