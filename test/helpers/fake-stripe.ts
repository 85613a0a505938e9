import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/**
 * A local stand-in for api.stripe.com, speaking the part of its HTTP API that payouts and webhooks use, with
 * form-encoded bodies and Bearer authentication: `POST /v1/transfers`, `GET /v1/transfers/:id`,
 * `POST /v1/transfers/:id/reversals`, `GET /v1/accounts/:id`, and Connect onboarding: `POST /v1/accounts` (an
 * Express account, not yet onboarded), `POST /v1/account_links` (a single-use `account_onboarding` link) and the
 * hosted onboarding page that link opens (`GET /setup/e/:link`: a form; submitting it completes the account,
 * leaving does not, and both redirect to the link's `return_url`, as Stripe does; a used or expired link
 * redirects to its `refresh_url`).
 * Billing, as the Stripe billing webhooks read it: `GET /v1/customers/:id`, `GET /v1/invoices/:id`,
 * `GET /v1/checkout/sessions?customer=` (or `?payment_intent=`), `GET /v1/checkout/sessions/:id/line_items`,
 * `GET /v1/refunds?charge=`, `GET /v1/invoice_payments?payment[type]=payment_intent&payment[payment_intent]=` and
 * `GET /v1/invoices/:id/lines`, lists newest first with Stripe's `limit`/`starting_after` paging; the test puts the
 * objects in (`customers`, `invoices`, `checkoutSessions`, `checkoutLineItems`, `refunds`, `invoicePayments`,
 * `invoiceLines`).
 * Stripe's error shape
 * `{ error: { type, code, message } }`, and its idempotency semantics for creations: a repeated Idempotency-Key
 * with the same parameters replays the first response (header `Idempotent-Replayed: true`) without creating
 * anything; with other parameters it is a 400 `idempotency_error`. Objects the platform's key cannot see are a
 * 404 `resource_missing` (transfers) or a 403 `permission_error` (accounts), as on Stripe.
 */
export interface FakeTransfer {
  id: string;
  object: "transfer";
  amount: number;
  amount_reversed: number;
  currency: string;
  destination: string;
  transfer_group: string | null;
  description: string | null;
  metadata: Record<string, string>;
  created: number;
  livemode: boolean;
  reversed: boolean;
  reversals: { object: "list"; data: FakeReversal[]; has_more: false; total_count: number; url: string };
}

export interface FakeReversal {
  id: string;
  object: "transfer_reversal";
  amount: number;
  currency: string;
  transfer: string;
  created: number;
  metadata: Record<string, string>;
}

/** What `GET /v1/accounts/:id` tells about a connected account. */
export interface FakeAccountState {
  payouts_enabled: boolean;
  requirements: { disabled_reason: string | null; past_due: string[] };
  /** Whether the account holder finished Stripe's onboarding form; accounts set up by hand have. */
  details_submitted?: boolean;
  charges_enabled?: boolean;
  email?: string | null;
  country?: string;
  metadata?: Record<string, string>;
  /** The capabilities the platform requested, e.g. `transfers`. */
  capabilities?: Record<string, "active" | "inactive" | "pending">;
}

/** An account link: where Stripe's hosted onboarding sends the user back to. */
export interface FakeAccountLink {
  id: string;
  account: string;
  refresh_url: string;
  return_url: string;
  type: string;
  expires_at: number;
  used: boolean;
}

/** A Stripe object of a billing list: only the fields the lists filter and page by are required. */
export interface FakeListed {
  id: string;
  created: number;
  [field: string]: unknown;
}

/** `GET /v1/customers/:id`: a customer, or one deleted (Stripe still answers it, as `deleted: true`). */
export interface FakeCustomer {
  metadata?: Record<string, string>;
  email?: string | null;
  deleted?: boolean;
}

interface Stored {
  body: string;
  status: number;
  response: unknown;
}

export class FakeStripe {
  readonly transfers: FakeTransfer[] = [];
  /** Connected accounts the platform can read, by id; any other is a 403 as on Stripe. */
  readonly accounts = new Map<string, FakeAccountState>();
  /** Every request received: method, path, idempotency key. */
  readonly requests: { method: string; path: string; idempotencyKey: string | undefined }[] = [];
  /** Destination accounts whose transfers Stripe refuses (invalid_request_error). */
  readonly declinedAccounts = new Set<string>();
  /**
   * Lost responses: the next N requests for a transfer to this destination are processed (or replayed), then
   * the connection is cut before the response is sent, as a timeout or a network failure would.
   */
  readonly dropResponses = new Map<string, number>();
  /** Account links created, by id (the last path segment of their URL). */
  readonly accountLinks = new Map<string, FakeAccountLink>();
  /**
   * What the hosted onboarding form completes an account with: by default Stripe verified everything at once;
   * set `payouts_enabled: false` and a requirement to act out an account still under verification.
   */
  onboardingOutcome: Pick<FakeAccountState, "payouts_enabled" | "requirements"> = {
    payouts_enabled: true,
    requirements: { disabled_reason: null, past_due: [] },
  };
  /** Billing objects, by id: what the platform's own account holds. */
  readonly customers = new Map<string, FakeCustomer>();
  readonly checkoutSessions: FakeListed[] = [];
  readonly refunds: FakeListed[] = [];
  readonly invoicePayments: FakeListed[] = [];
  readonly invoiceLines = new Map<string, FakeListed[]>();
  /** Invoices by id, as `GET /v1/invoices/:id` answers them (the test gives the fields it reads). */
  readonly invoices = new Map<string, Record<string, unknown>>();
  /** A Checkout session's line items, by session id, in the session's order. */
  readonly checkoutLineItems = new Map<string, FakeListed[]>();
  #idempotency = new Map<string, Stored>();
  #server: Server;
  url = "";

  constructor(readonly secretKey = "sk_test_fake_0123456789") {
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    const { port } = this.#server.address() as { port: number };
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  stop(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const key = header(req, "idempotency-key");
    const path = (req.url ?? "").split("?")[0] ?? "";
    const query = new URLSearchParams((req.url ?? "").split("?")[1] ?? "");
    this.requests.push({ method: req.method ?? "", path, idempotencyKey: key });

    const onboardingPath = /^\/setup\/e\/([^/]+)$/.exec(path);
    if (onboardingPath) return this.#onboardingPage(req, res, onboardingPath[1] ?? "", body);
    if (header(req, "authorization") !== `Bearer ${this.secretKey}`)
      return send(res, 401, stripeError("invalid_request_error", undefined, "Invalid API Key provided."));
    const transferPath = /^\/v1\/transfers\/([^/]+)$/.exec(path);
    const reversalsPath = /^\/v1\/transfers\/([^/]+)\/reversals$/.exec(path);
    const accountPath = /^\/v1\/accounts\/([^/]+)$/.exec(path);
    if (req.method === "GET" && transferPath) return send(res, ...this.#retrieveTransfer(transferPath[1] ?? ""));
    if (req.method === "GET" && accountPath) return send(res, ...this.#retrieveAccount(accountPath[1] ?? ""));
    if (req.method === "GET") {
      const answer = this.#billing(path, query);
      if (answer) return send(res, ...answer);
    }
    let create: ((form: URLSearchParams) => [number, unknown]) | undefined;
    if (req.method === "POST" && path === "/v1/transfers") create = (form) => this.#createTransfer(form);
    if (req.method === "POST" && path === "/v1/accounts") create = (form) => this.#createAccount(form);
    if (req.method === "POST" && path === "/v1/account_links") create = (form) => this.#createAccountLink(form);
    if (req.method === "POST" && reversalsPath) create = (form) => this.#createReversal(reversalsPath[1] ?? "", form);
    if (!create)
      return send(
        res,
        404,
        stripeError("invalid_request_error", "resource_missing", `Unrecognized request URL (${req.method}: ${path}).`),
      );

    if (key) {
      const stored = this.#idempotency.get(key);
      if (stored) {
        if (stored.body !== body)
          return send(
            res,
            400,
            stripeError(
              "idempotency_error",
              undefined,
              `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
            ),
          );
        if (this.#drop(body)) return req.socket.destroy();
        return send(res, stored.status, stored.response, { "idempotent-replayed": "true" });
      }
    }
    const [status, response] = create(new URLSearchParams(body));
    if (key) this.#idempotency.set(key, { body, status, response });
    if (this.#drop(body)) return req.socket.destroy();
    return send(res, status, response);
  }

  /** The billing reads: a customer, or a page of a list filtered as Stripe filters it. */
  #billing(path: string, query: URLSearchParams): [number, unknown] | undefined {
    const customerPath = /^\/v1\/customers\/([^/]+)$/.exec(path);
    if (customerPath) {
      const id = customerPath[1] ?? "";
      const customer = this.customers.get(id);
      if (!customer)
        return [404, stripeError("invalid_request_error", "resource_missing", `No such customer: '${id}'`, "id")];
      if (customer.deleted) return [200, { id, object: "customer", deleted: true }];
      const created = Math.floor(Date.now() / 1000);
      return [
        200,
        { id, object: "customer", created, email: customer.email ?? null, metadata: customer.metadata ?? {} },
      ];
    }
    const invoicePath = /^\/v1\/invoices\/([^/]+)$/.exec(path);
    if (invoicePath) {
      const id = invoicePath[1] ?? "";
      const invoice = this.invoices.get(id);
      if (!invoice)
        return [404, stripeError("invalid_request_error", "resource_missing", `No such invoice: '${id}'`, "id")];
      return [200, { ...invoice, id, object: "invoice" }];
    }
    const sessionItemsPath = /^\/v1\/checkout\/sessions\/([^/]+)\/line_items$/.exec(path);
    if (sessionItemsPath) {
      const items = this.checkoutLineItems.get(sessionItemsPath[1] ?? "");
      if (!items)
        return [
          404,
          stripeError(
            "invalid_request_error",
            "resource_missing",
            `No such checkout session: '${sessionItemsPath[1]}'`,
            "id",
          ),
        ];
      return [200, page(path, items, query)];
    }
    const linesPath = /^\/v1\/invoices\/([^/]+)\/lines$/.exec(path);
    if (linesPath) {
      const lines = this.invoiceLines.get(linesPath[1] ?? "");
      if (!lines)
        return [
          404,
          stripeError("invalid_request_error", "resource_missing", `No such invoice: '${linesPath[1]}'`, "id"),
        ];
      // Lines keep the invoice's order, not newest first.
      return [200, page(path, lines, query)];
    }
    const newest = (list: FakeListed[], keep: (x: FakeListed) => boolean) =>
      page(
        path,
        list.filter(keep).sort((a, b) => b.created - a.created),
        query,
      );
    if (path === "/v1/checkout/sessions")
      return [
        200,
        newest(
          this.checkoutSessions,
          (x) =>
            (!query.has("customer") || x.customer === query.get("customer")) &&
            (!query.has("payment_intent") || x.payment_intent === query.get("payment_intent")),
        ),
      ];
    if (path === "/v1/refunds")
      return [200, newest(this.refunds, (x) => !query.has("charge") || x.charge === query.get("charge"))];
    if (path === "/v1/invoice_payments") {
      const intent = query.get("payment[payment_intent]");
      if (query.has("payment[type]") && query.get("payment[type]") !== "payment_intent")
        return [
          400,
          stripeError("invalid_request_error", "parameter_invalid", "Invalid payment type", "payment[type]"),
        ];
      return [
        200,
        newest(
          this.invoicePayments,
          (x) => !intent || (x.payment as { payment_intent?: string }).payment_intent === intent,
        ),
      ];
    }
    return undefined;
  }

  get #livemode() {
    return /^(sk|rk)_live_/.test(this.secretKey);
  }

  #retrieveTransfer(id: string): [number, unknown] {
    const transfer = this.transfers.find((x) => x.id === id);
    if (!transfer)
      return [404, stripeError("invalid_request_error", "resource_missing", `No such transfer: '${id}'`, "id")];
    return [200, transfer];
  }

  #retrieveAccount(id: string): [number, unknown] {
    const state = this.accounts.get(id);
    if (!state)
      return [
        403,
        stripeError(
          "permission_error",
          undefined,
          `The provided key does not have access to account '${id}' (or that account does not exist). Application access may have been revoked.`,
        ),
      ];
    return [200, this.#accountObject(id, state)];
  }

  #accountObject(id: string, state: FakeAccountState) {
    return {
      id,
      object: "account",
      type: "express",
      country: state.country ?? "US",
      email: state.email ?? null,
      metadata: state.metadata ?? {},
      capabilities: state.capabilities ?? {},
      details_submitted: state.details_submitted ?? true,
      charges_enabled: state.charges_enabled ?? state.payouts_enabled,
      payouts_enabled: state.payouts_enabled,
      requirements: { currently_due: state.requirements.past_due, eventually_due: [], ...state.requirements },
    };
  }

  /** `POST /v1/accounts`: Stripe creates the account at once; its holder has submitted nothing yet. */
  #createAccount(form: URLSearchParams): [number, unknown] {
    const type = form.get("type");
    if (type !== "express" && type !== "standard" && type !== "custom" && !form.has("controller[fees][payer]"))
      return [400, stripeError("invalid_request_error", "parameter_missing", "Missing required param: type.", "type")];
    const metadata: Record<string, string> = {};
    const capabilities: Record<string, "inactive"> = {};
    for (const [name, value] of form) {
      const m = /^metadata\[(.+)\]$/.exec(name);
      if (m?.[1]) metadata[m[1]] = value;
      const c = /^capabilities\[(.+)\]\[requested\]$/.exec(name);
      if (c?.[1] && value === "true") capabilities[c[1]] = "inactive";
    }
    const id = `acct_${randomBytes(8).toString("hex")}`;
    const state: FakeAccountState = {
      payouts_enabled: false,
      charges_enabled: false,
      details_submitted: false,
      email: form.get("email"),
      country: form.get("country") ?? "US",
      metadata,
      capabilities,
      requirements: {
        disabled_reason: "requirements.past_due",
        past_due: ["business_type", "external_account", "tos_acceptance.date"],
      },
    };
    this.accounts.set(id, state);
    return [200, this.#accountObject(id, state)];
  }

  /** `POST /v1/account_links`: a single-use link to the hosted onboarding, valid for a few minutes. */
  #createAccountLink(form: URLSearchParams): [number, unknown] {
    const account = form.get("account") ?? "";
    for (const param of ["account", "refresh_url", "return_url", "type"])
      if (!form.get(param))
        return [
          400,
          stripeError("invalid_request_error", "parameter_missing", `Missing required param: ${param}.`, param),
        ];
    const type = form.get("type") ?? "";
    if (type !== "account_onboarding" && type !== "account_update")
      return [400, stripeError("invalid_request_error", "parameter_invalid", `Invalid type: ${type}.`, "type")];
    if (!this.accounts.has(account))
      return [400, stripeError("invalid_request_error", "account_invalid", `No such account: '${account}'`, "account")];
    for (const param of ["refresh_url", "return_url"])
      if (!/^https?:\/\//.test(form.get(param) ?? ""))
        return [400, stripeError("invalid_request_error", "url_invalid", "Not a valid URL", param)];
    const id = randomBytes(12).toString("hex");
    const created = Math.floor(Date.now() / 1000);
    const link: FakeAccountLink = {
      id,
      account,
      refresh_url: form.get("refresh_url") ?? "",
      return_url: form.get("return_url") ?? "",
      type,
      expires_at: created + 300,
      used: false,
    };
    this.accountLinks.set(id, link);
    return [200, { object: "account_link", created, expires_at: link.expires_at, url: `${this.url}/setup/e/${id}` }];
  }

  /** The hosted onboarding: a form to submit (GET), submitted (POST) it completes the account and sends the user back. */
  #onboardingPage(req: IncomingMessage, res: ServerResponse, id: string, body: string) {
    const link = this.accountLinks.get(id);
    if (!link) return send(res, 404, stripeError("invalid_request_error", "resource_missing", "No such link"));
    if (link.used || link.expires_at < Math.floor(Date.now() / 1000)) {
      res.writeHead(302, { location: link.refresh_url });
      return res.end();
    }
    if (req.method === "POST") {
      const leaving = new URLSearchParams(body).has("leave");
      link.used = true;
      const state = this.accounts.get(link.account);
      // Leaving early also goes to return_url, as on Stripe: the platform must check the account, not trust the trip.
      if (state && !leaving)
        this.accounts.set(link.account, {
          ...state,
          ...this.onboardingOutcome,
          details_submitted: true,
          charges_enabled: this.onboardingOutcome.payouts_enabled,
          capabilities: Object.fromEntries(
            Object.keys(state.capabilities ?? {}).map((c) => [
              c,
              this.onboardingOutcome.payouts_enabled ? "active" : "pending",
            ]),
          ),
        });
      res.writeHead(302, { location: link.return_url });
      return res.end();
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html><title>Stripe Express onboarding</title><h1>Set up payouts for ${link.account}</h1>` +
        `<form method="post"><button type="submit">Agree and submit</button></form>` +
        `<form method="post"><input type="hidden" name="leave" value="1"><button type="submit">Return to the platform</button></form>`,
    );
  }

  #createReversal(id: string, form: URLSearchParams): [number, unknown] {
    const transfer = this.transfers.find((x) => x.id === id);
    if (!transfer)
      return [404, stripeError("invalid_request_error", "resource_missing", `No such transfer: '${id}'`, "id")];
    const left = transfer.amount - transfer.amount_reversed;
    const amount = form.has("amount") ? Number(form.get("amount")) : left;
    if (!Number.isInteger(amount) || amount < 1 || amount > left)
      return [
        400,
        stripeError(
          "invalid_request_error",
          undefined,
          `Refund amount (${amount}) is greater than unrefunded amount on transfer (${left})`,
          "amount",
        ),
      ];
    const reversal: FakeReversal = {
      id: `trr_${randomBytes(12).toString("hex")}`,
      object: "transfer_reversal",
      amount,
      currency: transfer.currency,
      transfer: transfer.id,
      created: Math.floor(Date.now() / 1000),
      metadata: {},
    };
    transfer.amount_reversed += amount;
    transfer.reversed = transfer.amount_reversed >= transfer.amount;
    transfer.reversals.data.unshift(reversal);
    transfer.reversals.total_count += 1;
    return [200, reversal];
  }

  #drop(body: string): boolean {
    const destination = new URLSearchParams(body).get("destination") ?? "";
    const left = this.dropResponses.get(destination) ?? 0;
    if (left > 0) this.dropResponses.set(destination, left - 1);
    return left > 0;
  }

  #createTransfer(form: URLSearchParams): [number, unknown] {
    const amount = Number(form.get("amount"));
    const currency = form.get("currency") ?? "";
    const destination = form.get("destination") ?? "";
    if (!Number.isInteger(amount) || amount < 1)
      return [
        400,
        stripeError("invalid_request_error", "parameter_invalid_integer", "Invalid positive integer", "amount"),
      ];
    if (!/^[a-z]{3}$/.test(currency))
      return [
        400,
        stripeError("invalid_request_error", "parameter_missing", "Missing required param: currency.", "currency"),
      ];
    if (!destination.startsWith("acct_"))
      return [
        400,
        stripeError(
          "invalid_request_error",
          "parameter_missing",
          "Missing required param: destination.",
          "destination",
        ),
      ];
    if (this.declinedAccounts.has(destination))
      return [
        400,
        stripeError(
          "invalid_request_error",
          "account_invalid",
          `The account ${destination} cannot receive transfers: its payouts capability is not active.`,
          "destination",
        ),
      ];
    const metadata: Record<string, string> = {};
    for (const [name, value] of form) {
      const m = /^metadata\[(.+)\]$/.exec(name);
      if (m?.[1]) metadata[m[1]] = value;
    }
    const id = `tr_${randomBytes(12).toString("hex")}`;
    const transfer: FakeTransfer = {
      id,
      object: "transfer",
      amount,
      amount_reversed: 0,
      currency,
      destination,
      transfer_group: form.get("transfer_group"),
      description: form.get("description"),
      metadata,
      created: Math.floor(Date.now() / 1000),
      livemode: this.#livemode,
      reversed: false,
      reversals: { object: "list", data: [], has_more: false, total_count: 0, url: `/v1/transfers/${id}/reversals` },
    };
    this.transfers.push(transfer);
    return [200, transfer];
  }
}

/** A page of a Stripe list: `limit` (default 10, at most 100) after `starting_after`, and whether more follow. */
function page(url: string, items: FakeListed[], query: URLSearchParams) {
  const limit = Math.min(Math.max(Number(query.get("limit") ?? 10) || 10, 1), 100);
  const after = query.get("starting_after");
  const start = after ? items.findIndex((x) => x.id === after) + 1 : 0;
  const data = items.slice(start, start + limit);
  return { object: "list", url, data, has_more: start + limit < items.length };
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const stripeError = (type: string, code: string | undefined, message: string, param?: string) => ({
  error: { type, ...(code ? { code } : {}), message, ...(param ? { param } : {}) },
});

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    "content-type": "application/json",
    "request-id": `req_${randomBytes(8).toString("hex")}`,
    ...headers,
  });
  res.end(JSON.stringify(body));
}
