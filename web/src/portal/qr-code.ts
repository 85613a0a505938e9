import { encode } from "uqr";

/** Quiet zone around the code, in modules: the QR standard asks for four, so scanners find it on any background. */
const QUIET_ZONE = 4;

/**
 * A link as a QR code, for print (flyers, slides, packaging): an SVG of one path, black on white, with the quiet
 * zone the standard asks for. Error correction M (15 %) survives a smudged print without making the code denser.
 */
export function qrCodeSvg(text: string): string {
  const { data, size } = encode(text, { ecc: "M", border: 0 });
  const side = size + 2 * QUIET_ZONE;
  // One rectangle per run of dark modules in a row: a third of the size of one per module.
  let path = "";
  data.forEach((row, y) => {
    for (let x = 0; x < size; x++) {
      if (!row[x]) continue;
      let run = 1;
      while (x + run < size && row[x + run]) run++;
      path += `M${x + QUIET_ZONE} ${y + QUIET_ZONE}h${run}v1h-${run}z`;
      x += run - 1;
    }
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" shape-rendering="crispEdges"><rect width="${side}" height="${side}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
}

/** An SVG as an image address the pages' Content-Security-Policy allows (`img-src 'self' data:`). */
export const svgDataUrl = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** The SVG drawn on a canvas as a PNG of `pixels` square, for tools that take no SVG. */
export async function qrCodePng(svg: string, pixels: number): Promise<Blob> {
  const image = new Image();
  image.src = svgDataUrl(svg);
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = pixels;
  canvas.height = pixels;
  const context = canvas.getContext("2d")!;
  context.imageSmoothingEnabled = false;
  context.drawImage(image, 0, 0, pixels, pixels);
  return await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("the PNG could not be made"))), "image/png"),
  );
}
