import type { ArrangedProgram } from "./server-process.js";

/**
 * After an async sale load: sends one more sale through the intake and waits until it is recorded. The intake
 * records in the order sales came, so by then every sale accepted before it is recorded too. Returns how long that
 * took, and throws if the sale was refused or never recorded.
 */
export async function waitForIntake(base: string, arranged: ArrangedProgram, clickId: string): Promise<number> {
  const started = Date.now();
  const sale = {
    programId: arranged.programId,
    orderId: `last-${started}`,
    amount: 4900,
    currency: "USD",
    clickId,
    customerExternalId: `last-${started}`,
  };
  const apiHeaders = { "content-type": "application/json", authorization: `Bearer ${arranged.apiKey}` };
  const accepted = await fetch(`${base}/v1/track/sale`, {
    method: "POST",
    headers: { ...apiHeaders, prefer: "respond-async" },
    body: JSON.stringify(sale),
  });
  if (accepted.status !== 202) throw new Error(`the last sale was not accepted: ${accepted.status}`);
  const location = accepted.headers.get("location")!;
  for (;;) {
    const status = (await (await fetch(`${base}${location}`, { headers: apiHeaders })).json()) as {
      status: string;
    };
    if (status.status === "recorded") return Date.now() - started;
    if (status.status !== "queued") throw new Error(`the last sale was ${JSON.stringify(status).slice(0, 300)}`);
    if (Date.now() - started > 600_000) throw new Error("the intake did not drain in 10 minutes");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
