import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type RefObject, useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { api } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { CheckboxField } from "../shared/checkbox-field.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { FormSection } from "../shared/form-section.js";
import { attributionModelDescriptions, attributionModelLabels, couponPrecedenceLabels } from "../shared/labels.js";
import { RadioCards } from "../shared/radio-cards.js";
import { TextField } from "../shared/text-field.js";
import { TextAreaField } from "../shared/textarea-field.js";
import { useToast } from "../shared/toast.js";
import type { AttributionModel, CouponPrecedence, Program, TrackingSettings } from "../shared/types.js";
import { useFocusFirstError } from "../shared/use-focus-first-error.js";
import { adminKeys } from "./admin-queries.js";
import { errorAt } from "./program-draft.js";
import { useMe } from "./use-me.js";
import { UtmParamsEditor, type UtmRow } from "./utm-params-editor.js";

const MODELS: AttributionModel[] = ["last_click", "first_click", "linear", "position_based", "time_decay"];
const PRECEDENCE: CouponPrecedence[] = ["coupon_over_cookie", "cookie_over_coupon"];
const HALF_LIFE = "/timeDecayHalfLifeDays";
/** The fields drawn next to their inputs; the half-life only while time decay is chosen. */
const SHOWN = [
  "/attributionModel",
  HALF_LIFE,
  "/lifetimeBinding",
  "/couponPrecedence",
  "/clickIdParam",
  "/utmParams",
  "/utmParams/",
  "/cookieWindowDays",
  "/allowedDomains",
  "/allowedDomains/",
  "/defaultLandingUrl",
  "/linkDomain",
  "/stripeBilling/enabled",
  "/stripeBilling/productIds",
  "/stripeBilling/productIds/",
];

/** How the alert names a field that is not on the screen. */
const LABELS = { [HALF_LIFE]: "Half-life (time decay)" };

interface Draft {
  attributionModel: AttributionModel;
  timeDecayHalfLifeDays: string;
  lifetimeBinding: boolean;
  couponPrecedence: CouponPrecedence;
  clickIdParam: string;
  utm: UtmRow[];
  cookieWindowDays: string;
  allowedDomains: string;
  defaultLandingUrl: string;
  linkDomain: string;
  stripeBilling: boolean;
  stripeProducts: string;
}

const draftOf = (p: Program): Draft => ({
  attributionModel: p.attributionModel,
  timeDecayHalfLifeDays: String(p.timeDecayHalfLifeDays),
  lifetimeBinding: p.lifetimeBinding,
  couponPrecedence: p.couponPrecedence,
  clickIdParam: p.clickIdParam,
  utm: Object.entries(p.utmParams).map(([key, value]) => ({ key, value })),
  cookieWindowDays: String(p.cookieWindowDays),
  allowedDomains: p.allowedDomains.join("\n"),
  defaultLandingUrl: p.defaultLandingUrl ?? "",
  linkDomain: p.linkDomain ?? "",
  stripeBilling: p.stripeBilling.enabled,
  stripeProducts: p.stripeBilling.productIds.join("\n"),
});

/** A blank number stays invalid (NaN) so that the server names the field. */
const whole = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));

/**
 * The half-life is only drawn for time decay: under another model a blank one (cleared, then another model chosen)
 * keeps the saved value instead of failing the save on a field that is not on the screen.
 */
const halfLifeOf = (d: Draft, saved: number) =>
  d.attributionModel !== "time_decay" && d.timeDecayHalfLifeDays.trim() === "" ? saved : whole(d.timeDecayHalfLifeDays);

const settingsOf = (d: Draft, saved: Program): TrackingSettings => ({
  attributionModel: d.attributionModel,
  timeDecayHalfLifeDays: halfLifeOf(d, saved.timeDecayHalfLifeDays),
  lifetimeBinding: d.lifetimeBinding,
  couponPrecedence: d.couponPrecedence,
  clickIdParam: d.clickIdParam.trim(),
  // A blank row is sent as it is, so the server names it instead of the form dropping it unseen.
  utmParams: Object.fromEntries(d.utm.map((r) => [r.key, r.value.trim()])),
  cookieWindowDays: whole(d.cookieWindowDays),
  allowedDomains: d.allowedDomains
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean),
  defaultLandingUrl: d.defaultLandingUrl.trim() || null,
  linkDomain: d.linkDomain.trim() || null,
  // One per line; a list pasted with commas or spaces is split the same way.
  stripeBilling: { enabled: d.stripeBilling, productIds: d.stripeProducts.split(/[\s,]+/).filter(Boolean) },
});

/**
 * Edits not saved yet, per team member and program version: switching to another tab and back finds them where
 * they were left (the form is unmounted meanwhile). A save or a newer version of the program starts afresh; another
 * member signing in on this browser does not see them.
 */
const unsaved = new Map<string, Draft>();

/** The form's Save button: where the keyboard focus stays after a save (the form remounts) or a discard. */
const focusSave = (form: HTMLFormElement | null) =>
  form?.querySelector<HTMLButtonElement>('button[type="submit"]')?.focus();

function TrackingForm({ program, refocus }: { program: Program; refocus: RefObject<boolean> }) {
  const { can, user } = useMe();
  const queryClient = useQueryClient();
  const toast = useToast();
  const version = `${user.id}:${program.id}@${program.updatedAt}`;
  const [draft, setDraft] = useState(() => unsaved.get(version) ?? draftOf(program));
  const dirty = JSON.stringify(settingsOf(draft, program)) !== JSON.stringify(settingsOf(draftOf(program), program));
  useEffect(() => {
    if (dirty) unsaved.set(version, draft);
    else unsaved.delete(version);
  }, [dirty, draft, version]);
  useEffect(() => {
    if (!dirty) return;
    // Closing or reloading the page asks first.
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    focusSave(formRef.current);
  }, [refocus]);
  const save = useMutation({
    mutationFn: (settings: TrackingSettings) => api.patch<Program>(`/v1/programs/${program.id}`, settings),
    onSuccess: (updated) => {
      unsaved.delete(version);
      // Unless the focus has moved on meanwhile, the remounted form's Save button takes it over from this one's.
      const focus = document.activeElement;
      refocus.current = !focus || focus === document.body || Boolean(formRef.current?.contains(focus));
      queryClient.setQueryData(adminKeys.program(program.id), updated);
      queryClient.invalidateQueries({ queryKey: adminKeys.programs });
      toast.success("Tracking settings saved");
    },
  });
  useFocusFirstError(formRef, save.error);
  const errors = fieldErrors(save.error);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(settingsOf(draft, program));
  };
  const readOnly = !can("programs:write");
  return (
    <form ref={formRef} className="program-form" onSubmit={submit} noValidate aria-label="Tracking settings">
      <FormAlert
        error={save.error}
        shown={draft.attributionModel === "time_decay" ? SHOWN : SHOWN.filter((f) => f !== HALF_LIFE)}
        labels={LABELS}
      />
      <fieldset className="plain-fieldset" disabled={readOnly}>
        <FormSection
          title="Attribution"
          description="Who gets the credit when a customer clicked more than one partner, or used a coupon code. A change applies to leads and sales reported from then on: those already recorded keep their credit and its explanation."
        >
          <RadioCards
            legend="Attribution model"
            value={draft.attributionModel}
            onChange={(model) => set("attributionModel", model)}
            options={MODELS.map((model) => ({
              value: model,
              label: attributionModelLabels[model],
              description: attributionModelDescriptions[model],
            }))}
            error={errors["/attributionModel"]}
          />
          {draft.attributionModel === "time_decay" && (
            <TextField
              label="Half-life (days)"
              type="number"
              inputMode="numeric"
              min={1}
              max={365}
              value={draft.timeDecayHalfLifeDays}
              onChange={(days) => set("timeDecayHalfLifeDays", days)}
              hint="A click this many days older than another counts half as much."
              error={errors["/timeDecayHalfLifeDays"]}
              className="field-narrow"
              required
            />
          )}
          <CheckboxField
            label="Lifetime binding"
            checked={draft.lifetimeBinding}
            onChange={(on) => set("lifetimeBinding", on)}
            description="The first partner credited for a customer keeps every later lead and sale of that customer, whatever they click afterwards."
            error={errors["/lifetimeBinding"]}
          />
          <RadioCards
            legend="When a coupon code and a click point at different partners"
            value={draft.couponPrecedence}
            onChange={(precedence) => set("couponPrecedence", precedence)}
            columns={2}
            options={PRECEDENCE.map((p) => ({
              value: p,
              label: couponPrecedenceLabels[p],
              description:
                p === "coupon_over_cookie"
                  ? "The partner who owns the code gets the credit: a code is a deliberate choice at checkout."
                  : "The partner whose link was clicked keeps the credit; the code only counts without a click.",
            }))}
            error={errors["/couponPrecedence"]}
          />
        </FormSection>

        <FormSection
          title="Clicks"
          description="How long a click keeps counting, and the query parameter that carries it to your site."
        >
          <div className="grid-2">
            <TextField
              label="Cookie window (days)"
              type="number"
              inputMode="numeric"
              min={1}
              max={3650}
              value={draft.cookieWindowDays}
              onChange={(days) => set("cookieWindowDays", days)}
              hint="Conversions later than this after the click earn nothing."
              error={errors["/cookieWindowDays"]}
              required
            />
            <TextField
              label="Click id parameter"
              prefix="?"
              value={draft.clickIdParam}
              onChange={(param) => set("clickIdParam", param)}
              hint={
                draft.clickIdParam.trim() !== program.clickIdParam ? (
                  <>
                    Changing it: links send <code>?{draft.clickIdParam.trim() || "…"}=…</code> once saved, so update the
                    site snippet's <code>data-param</code> on your site (see Install) at the same time.
                  </>
                ) : (
                  <>
                    Added to the landing URL, e.g. <code>?{draft.clickIdParam || "tb_click"}=…</code>. The site snippet
                    reads it.
                  </>
                )
              }
              error={errors["/clickIdParam"]}
              required
            />
          </div>
        </FormSection>

        <FormSection
          title="Destinations"
          description="Where partner links may send visitors. Links are never redirects to arbitrary sites."
        >
          <TextAreaField
            label="Allowed domains"
            value={draft.allowedDomains}
            onChange={(domains) => set("allowedDomains", domains)}
            placeholder={"acme.example\nshop.acme.example"}
            hint="One per line. A domain also allows its subdomains. The site snippet only runs on these."
            rows={3}
            error={errorAt(errors, "/allowedDomains")}
          />
          <TextField
            label="Default landing page"
            type="url"
            value={draft.defaultLandingUrl}
            onChange={(url) => set("defaultLandingUrl", url)}
            placeholder="https://acme.example/"
            hint="Where default links go. Must be on an allowed domain."
            error={errors["/defaultLandingUrl"]}
          />
          <UtmParamsEditor rows={draft.utm} onChange={(utm) => set("utm", utm)} errors={errors} />
        </FormSection>

        <FormSection
          title="Link domain"
          description="Partner links on a host of your own, such as go.acme.com: visitors, ad reviewers and mail filters see your brand, not this server's."
        >
          <TextField
            label="Link domain"
            value={draft.linkDomain}
            onChange={(domain) => set("linkDomain", domain)}
            placeholder="go.acme.example"
            prefix="https://"
            hint={
              <>
                Point this host at Tributary (a DNS CNAME, and a certificate at your proxy) before saving: partners copy
                their links as <code>https://{draft.linkDomain.trim() || "go.acme.example"}/r/…</code> from then on.
                Links already shared keep working on this server's host. Leave empty to use this server's host.
              </>
            }
            error={errors["/linkDomain"]}
            optional
          />
        </FormSection>

        <FormSection
          title="Stripe billing"
          description="If you bill with Stripe, Tributary can record this program's sales from your Stripe account's events, with no code of yours: paid invoices are sales (renewals as recurring), refunds are refunds."
        >
          <CheckboxField
            label="Record sales from Stripe"
            checked={draft.stripeBilling}
            onChange={(on) => set("stripeBilling", on)}
            description={
              <>
                A Checkout session that carries the click id as <code>client_reference_id</code> ties its Stripe
                customer to the partner; that customer's invoices are then credited by the rules above. See{" "}
                <Link to={`/admin/programs/${program.id}/install`}>Install</Link> for the webhook to add in Stripe.
              </>
            }
            error={errors["/stripeBilling/enabled"]}
          />
          {draft.stripeBilling && (
            <TextAreaField
              label="Stripe products"
              value={draft.stripeProducts}
              onChange={(products) => set("stripeProducts", products)}
              placeholder={"prod_NWjs8kKbJWmuuc\nprod_OvS2YmQ1n1ZD7k"}
              hint="Product ids from your Stripe dashboard, one per line: invoices with one of them are this program's sales. Leave empty for every product. Each product can belong to one program only."
              rows={3}
              error={errorAt(errors, "/stripeBilling/productIds")}
              optional
            />
          )}
        </FormSection>
      </fieldset>

      {!readOnly && (
        <div className="form-footer">
          {dirty && (
            <span className="form-footer-note" role="status">
              Unsaved changes
            </span>
          )}
          <Button
            variant="ghost"
            disabled={!dirty}
            onClick={() => {
              setDraft(draftOf(program));
              // This button is disabled once nothing is left to discard, which would drop the focus to the page.
              focusSave(formRef.current);
            }}
          >
            Discard changes
          </Button>
          <Button type="submit" variant="primary" loading={save.isPending}>
            Save tracking settings
          </Button>
        </div>
      )}
    </form>
  );
}

/** The program's tracking settings; remounts after a save so the form shows what the server stored. */
export function ProgramTrackingTab({ program }: { program: Program }) {
  const refocus = useRef(false);
  return <TrackingForm key={program.updatedAt} program={program} refocus={refocus} />;
}
