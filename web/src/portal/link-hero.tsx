import { Badge } from "../shared/badge.js";
import { CopyButton } from "../shared/copy-button.js";
import { displayUrl, linkAddress } from "../shared/format.js";
import {
  figuresOf,
  figuresSentence,
  LINK_FIGURE_PERIOD,
  LinkFiguresLoading,
  type LinkFiguresState,
} from "../shared/link-figures.js";
import type { TrackingLink } from "../shared/types.js";

/** The sales' amounts, not what the partner earned from them (that is under Earnings), as What performs says. */
export const REVENUE_WORDS = "in sales";

/** "http://host/r/" muted, the slug strong: the part a partner recognises. */
function LinkAddress({ link }: { link: TrackingLink }) {
  const url = linkAddress(link);
  const base = url.slice(0, url.length - link.slug.length);
  return (
    <span className="link-address">
      <span className="link-address-base">{base}</span>
      <span className="link-address-slug">{link.slug}</span>
    </span>
  );
}

/** The main link's figures under its address: "Last 30 days: 12 clicks · 1 lead · 1 sale · $49.00 in sales". */
function HeroFigures({ link, figures }: { link: TrackingLink; figures: LinkFiguresState }) {
  const mine = figuresOf(figures, link.id);
  if (!mine) return figures.loading ? <LinkFiguresLoading /> : null;
  return (
    <span className="link-hero-figures">
      <span className="link-hero-figures-label">{LINK_FIGURE_PERIOD}:</span> {figuresSentence(mine, REVENUE_WORDS)}
    </span>
  );
}

/**
 * A program's main link, to copy, with where it lands and what it brought lately: on the links page and on each
 * partnership of the portal's home.
 */
export function LinkHero({
  link,
  programName,
  landing,
  figures,
}: {
  link: TrackingLink;
  programName: string;
  /** Where the link lands: its own destination or the program's landing page. */
  landing: string | null;
  figures: LinkFiguresState;
}) {
  return (
    <div className={link.disabled ? "link-hero link-hero-disabled" : "link-hero"}>
      <div className="link-hero-text">
        <span className="link-hero-label">Your link {link.disabled && <Badge tone="muted">Disabled</Badge>}</span>
        <LinkAddress link={link} />
        <span className="link-hero-sub">
          {/* Where it lands, so that the partner knows what its audience will see. */}
          Goes to {landing ? displayUrl(landing) : "the program's landing page"}
        </span>
        <HeroFigures link={link} figures={figures} />
      </div>
      {/* A disabled link answers with the not-found page: nothing to share. */}
      {!link.disabled && (
        <CopyButton value={linkAddress(link)} label={`link for ${programName}`} variant="primary" size="md" />
      )}
    </div>
  );
}
