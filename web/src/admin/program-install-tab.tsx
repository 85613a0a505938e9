import type { ReactNode } from "react";
import { Link } from "react-router";
import { CodeBlock } from "../shared/code-block.js";
import { CopyButton } from "../shared/copy-button.js";
import type { Program } from "../shared/types.js";
import { Check } from "./check-item.js";
import { browserExample, curlExamples, exampleAmountText, snippetTag } from "./install-snippets.js";
import { IntegrationStatusCard } from "./integration-status-card.js";

function Step({ number, title, children }: { number: number; title: string; children: ReactNode }) {
  return (
    <section className="install-step">
      <span className="install-step-number" aria-hidden="true">
        {number}
      </span>
      <div className="install-step-body">
        <h2 className="install-step-title">{title}</h2>
        {children}
      </div>
    </section>
  );
}

/** How to wire a website and a billing system to this program: the snippet tag and the conversion calls. */
export function ProgramInstallTab({ program }: { program: Program }) {
  const origin = window.location.origin;
  const examples = curlExamples(program, origin);
  return (
    <div className="detail-grid">
      <div className="install-steps">
        <Step number={1} title="Add the snippet to every page of your site">
          <p className="prose">
            Paste this tag into the <code>&lt;head&gt;</code> of your site. When a visitor arrives through a partner
            link (<code>?{program.clickIdParam}=…</code>) or a link like <code>yoursite.com/?via=partner-link</code>, it
            records the click and keeps it in a first-party cookie for {program.cookieWindowDays} days.
          </p>
          <CodeBlock label="Site snippet" language="html" code={snippetTag(program, origin)} />
        </Step>
        <Step number={2} title="Pass the click id along at signup and checkout">
          <p className="prose">
            <code>Tributary.clickId()</code> returns the visitor's latest click id and{" "}
            <code>Tributary.touchpoints()</code> all of them. Send them to your backend with the signup or order.
          </p>
          <CodeBlock label="In the browser" language="js" code={browserExample} />
        </Step>
        <Step number={3} title="Report leads, sales and refunds from your server">
          <p className="prose">
            Call the API with a key that has the <code>track:write</code> scope (
            <Link to="/admin/api-keys">create one</Link>). Each call is idempotent: sending the same order or refund
            again changes nothing. Amounts are in minor units ({exampleAmountText(program)}).
          </p>
          <div className="stack">
            <CodeBlock label="Lead (signup, trial, demo request)" language="curl" code={examples.lead} />
            <CodeBlock label="Sale" language="curl" code={examples.sale} />
            <CodeBlock label="Refund (full or partial)" language="curl" code={examples.refund} />
          </div>
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
