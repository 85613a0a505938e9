import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface VendorSite {
  /** http://localhost:<port>: another origin than Tributary's http://127.0.0.1:<port>. */
  origin: string;
  close(): Promise<void>;
}

/**
 * The vendor's own website on a second local origin: every path answers the same page, which loads the
 * Tributary snippet for `programSlug` from `tributaryUrl`.
 */
export async function startVendorSite(tributaryUrl: string, programSlug: string): Promise<VendorSite> {
  const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Northwind Shop</title>
    <script src="${tributaryUrl}/t.js" data-program="${programSlug}" async></script>
  </head>
  <body>
    <h1>Northwind Shop</h1>
    <p>Everything you need, shipped tomorrow.</p>
  </body>
</html>`;
  const server = createServer((request, response) => {
    if (request.url?.startsWith("/favicon")) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
