import { type ReactNode, useId, useRef, useState } from "react";
import { Link } from "react-router";
import { Button } from "../shared/button.js";
import { CodeBlock } from "../shared/code-block.js";
import { CopyButton } from "../shared/copy-button.js";
import { CopyField } from "../shared/copy-field.js";
import { KeyIcon } from "../shared/icons.js";
import { SegmentedControl } from "../shared/segmented-control.js";
import type { Program } from "../shared/types.js";
import { Check } from "./check-item.js";
import { CreateApiKeyDialog } from "./create-api-key-dialog.js";
import {
  browserExample,
  CLICK_ID_PLACEHOLDER,
  conversionExamples,
  type ExampleLanguage,
  exampleAmountText,
  FORM_FIELD,
  formExample,
  STRIPE_BILLING_EVENTS,
  snippetTag,
  stripeCheckoutExample,
  stripeCustomerExample,
  stripePaymentLinkExample,
  TOUCHPOINTS_PLACEHOLDER,
} from "./install-snippets.js";
import { IntegrationStatusCard } from "./integration-status-card.js";
import { useMe } from "./use-me.js";

function Step({ number, title, children }: { number: number; title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="install-step" aria-labelledby={id}>
      <span className="install-step-number" aria-hidden="true">
        {number}
      </span>
      <div className="install-step-body">
        <h2 id={id} className="install-step-title">
          {title}
        </h2>
        {children}
      </div>
    </section>
  );
}

const LANGUAGES: { value: ExampleLanguage; label: string }[] = [
  { value: "curl", label: "curl" },
  { value: "node", label: "Node.js" },
];

/**
 * The key the server calls need. Made here, its secret goes into the shell line below (this page only: it is shown
 * once, and leaving the page forgets it), so the examples run as pasted.
 */
function ApiKeyPart({ program }: { program: Program }) {
  const { can } = useMe();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ secret: string; name: string }>();
  const partRef = useRef<HTMLDivElement>(null);
  const exportLine = `export TRIBUTARY_API_KEY="${created?.secret ?? "your-api-key"}"`;
  return (
    <div className="stack-sm" ref={partRef}>
      <p className="prose">
        The calls need an API key with the <code>track:write</code> scope, kept on your server (never in the browser).{" "}
        {can("api_keys:manage") ? (
          created ? (
            <>
              Key <strong>{created.name}</strong> is filled in below: copy it now, it is not shown again.
            </>
          ) : (
            <>
              Create one here, or on the <Link to="/admin/api-keys">API keys</Link> page.
            </>
          )
        ) : (
          <>Ask an owner or a manager of your team for one.</>
        )}
      </p>
      {can("api_keys:manage") && !created && (
        <div>
          <Button icon={<KeyIcon size={16} />} onClick={() => setCreating(true)}>
            Create an API key
          </Button>
        </div>
      )}
      <CodeBlock label="Your API key, in the shell that runs the examples" language="sh" code={exportLine} />
      {creating && (
        <CreateApiKeyDialog
          initialName={`${program.name} server`}
          initialScopes={["track:write"]}
          onCreated={({ secret, apiKey }) => setCreated({ secret, name: apiKey.name })}
          onClose={() => {
            setCreating(false);
            // The button that opened the dialog is gone once the key is made: the focus goes on to the key's Copy.
            if (created)
              requestAnimationFrame(() => partRef.current?.querySelector<HTMLElement>("figure button")?.focus());
          }}
        />
      )}
    </div>
  );
}

/**
 * Sales reported by Stripe itself (README "Stripe billing"): the webhook to add on the vendor's Stripe account, and
 * how the click id reaches Stripe (Checkout, Payment Links, customers made by the vendor's server).
 */
function StripeBillingPart({ program, origin }: { program: Program; origin: string }) {
  const tracking = `/admin/programs/${program.id}/tracking`;
  const { enabled, productIds } = program.stripeBilling;
  return (
    <>
      <p className="prose">
        {enabled ? (
          <>
            This program records its sales from Stripe:{" "}
            {productIds.length ? (
              <>
                the invoices of <code>{productIds.join(", ")}</code>
              </>
            ) : (
              "the invoices of every product"
            )}{" "}
            (<Link to={tracking}>Tracking</Link>). No call of yours is needed for them; the calls above stay available
            for anything Stripe does not bill.
          </>
        ) : (
          <>
            Instead of the sale and refund calls above, this program can take its sales from your Stripe account: turn
            on <Link to={tracking}>Record sales from Stripe</Link> under Tracking, then set up Stripe as below.
          </>
        )}
      </p>
      <p className="prose">
        In Stripe, under Developers → Webhooks, add an endpoint on <strong>your account</strong> with this URL and these
        events (or add the events to the one this server already has for your account's transfers). This server needs
        its signing secret as <code>STRIPE_WEBHOOK_SECRET</code> and your key as <code>STRIPE_SECRET_KEY</code>. Paid
        invoices become sales (renewals as recurring; a trial's free invoice is skipped), and refunds of their charges
        become refunds.
      </p>
      <CopyField label="Webhook URL" value={`${origin}/v1/webhooks/stripe`} />
      <ul className="install-events" aria-label="Events to send">
        {STRIPE_BILLING_EVENTS.map((event) => (
          <li key={event}>
            <code>{event}</code>
          </li>
        ))}
      </ul>
      <p className="prose">
        Then hand Stripe the click id, so that the customer is tied to the partner: as <code>client_reference_id</code>{" "}
        of a Checkout session or a Payment Link, or in the customer's metadata as <code>tributary_click_id</code>. The
        customer's later invoices follow the program's rules (cookie window, lifetime binding, attribution model).
      </p>
      <div className="stack">
        <CodeBlock label="Stripe Checkout" language="js" code={stripeCheckoutExample} />
        <CodeBlock label="Payment Links" language="js" code={stripePaymentLinkExample} />
        <CodeBlock label="Customers you create" language="js" code={stripeCustomerExample} />
      </div>
    </>
  );
}

/** How to wire a website and a billing system to this program: the snippet tag and the conversion calls. */
export function ProgramInstallTab({ program }: { program: Program }) {
  const origin = window.location.origin;
  // The snippet loads from the program's link domain when it has one: the script and its calls on the vendor's brand.
  const snippetOrigin = program.linkDomain ? `https://${program.linkDomain}` : origin;
  const [language, setLanguage] = useState<ExampleLanguage>("curl");
  const examples = conversionExamples(program, origin, language);
  const codeLanguage = language === "curl" ? "curl" : "js";
  return (
    <div className="detail-grid">
      <div className="install-steps">
        <Step number={1} title="Add the snippet to every page of your site">
          <p className="prose">
            Paste this tag into the <code>&lt;head&gt;</code> of your site. When a visitor arrives through a partner
            link (<code>?{program.clickIdParam}=…</code>) or a link like <code>yoursite.com/?via=partner-link</code>, it
            records the click and keeps it in a first-party cookie for {program.cookieWindowDays} days.
          </p>
          <CodeBlock label="Site snippet" language="html" code={snippetTag(program, snippetOrigin)} />
          <p className="prose">
            If your site asks visitors before it stores cookies, add <code>data-consent="required"</code> to the tag and
            call <code>Tributary.consent()</code> when they accept (<code>Tributary.consent(false)</code> when they
            decline or withdraw): until then the snippet stores nothing and records no click.
          </p>
        </Step>
        <Step number={2} title="Pass the click id along at signup and checkout">
          <p className="prose">
            <code>Tributary.clickId()</code> returns the visitor's latest click id and{" "}
            <code>Tributary.touchpoints()</code> all of them. Send them to your backend with the signup or order.
          </p>
          <CodeBlock label="In the browser" language="js" code={browserExample} />
          <p className="prose">
            A form your server receives as a post needs no script of its own: mark it, and it carries the click id in a
            hidden <code>{FORM_FIELD}</code> field.
          </p>
          <CodeBlock label="Or on the form" language="html" code={formExample} />
        </Step>
        <Step number={3} title="Report leads, sales and refunds from your server">
          <ApiKeyPart program={program} />
          <p className="prose">
            Replace <code>{CLICK_ID_PLACEHOLDER}</code> with the click id from step 2
            {program.attributionModel !== "last_click" && (
              <>
                {" "}
                {/* The whole list is replaced: the touchpoints are a list of click ids already. */}
                and the list <code>["{TOUCHPOINTS_PLACEHOLDER}"]</code>, brackets included, with the touchpoints list
              </>
            )}
            , and the customer and order ids with yours. A sale of a customer you reported a lead for counts that lead's
            clicks too. Each call is idempotent: sending the same order or refund again changes nothing. Amounts are in
            minor units ({exampleAmountText(program)}). Optional fields, such as <code>couponCode</code> for a code used
            at checkout, are in the <a href="/docs">API reference</a>. The answer says whether a partner was credited
            and why (<code>attributed</code>, <code>summary</code>).
          </p>
          <div>
            <SegmentedControl label="Examples in" value={language} options={LANGUAGES} onChange={setLanguage} />
          </div>
          <div className="stack">
            <CodeBlock label="Lead (signup, trial, demo request)" language={codeLanguage} code={examples.lead} />
            <CodeBlock label="Sale" language={codeLanguage} code={examples.sale} />
            <CodeBlock label="Refund (full or partial)" language={codeLanguage} code={examples.refund} />
          </div>
          <p className="prose">
            Many at once — a billing sync, a backfill, a monthly report? <code>POST /v1/track/batch</code> takes up to
            1,000 of them, <code>{'{ "leads": […], "sales": […], "refunds": […] }'}</code>, each item the body of its
            own call above, and answers each one's outcome at its index.
          </p>
          <p className="prose">
            Checkout or signup must not wait on attribution? Send a lead or sale with the header{" "}
            <code>Prefer: respond-async</code>: it is checked the same way, stored, and answered <code>202</code> at
            once with a submission; it is recorded moments later, and <code>GET /v1/track/submissions/:id</code> (the
            answer's <code>Location</code>) tells its outcome.
          </p>
        </Step>
        <Step number={4} title="Or let Stripe report your sales">
          <StripeBillingPart program={program} origin={origin} />
        </Step>
      </div>
      <aside className="stack-lg">
        <IntegrationStatusCard program={program} />
        <section className="card">
          <h2 className="card-title">Checklist</h2>
          <ul className="checklist">
            <Check state={program.allowedDomains.length > 0 ? "ok" : "todo"}>
              {program.allowedDomains.length > 0 ? (
                <>Snippet allowed on {program.allowedDomains.join(", ")}</>
              ) : (
                <>
                  Add your site's domain under <Link to={`/admin/programs/${program.id}/tracking`}>Tracking</Link>: the
                  snippet only records clicks on allowed domains
                </>
              )}
            </Check>
            <Check state={program.defaultLandingUrl ? "ok" : "todo"}>
              {program.defaultLandingUrl ? (
                <>Default links land on {program.defaultLandingUrl.replace(/^https?:\/\//, "")}</>
              ) : (
                <>
                  Set a <Link to={`/admin/programs/${program.id}/tracking`}>default landing page</Link> for partner
                  links
                </>
              )}
            </Check>
            {program.stripeBilling.enabled && (
              <Check state="ok">
                Sales recorded from Stripe
                {program.stripeBilling.productIds.length
                  ? ` (${program.stripeBilling.productIds.length} product${program.stripeBilling.productIds.length === 1 ? "" : "s"})`
                  : " (every product)"}
              </Check>
            )}
            <Check state={program.status === "active" ? "ok" : "todo"}>
              {program.status === "active" ? "Program is active" : "Activate the program to accept partners"}
            </Check>
          </ul>
        </section>
        <section className="card">
          <h2 className="card-title">Program id</h2>
          <p className="muted small">
            Use it (or the slug <code>{program.slug}</code>) as <code>programId</code> in API calls.
          </p>
          <div className="id-box-row">
            <code className="id-box">{program.id}</code>
            <CopyButton value={program.id} label="program id" iconOnly />
          </div>
        </section>
      </aside>
    </div>
  );
}
