import { ChartIcon, LinkIcon, TagIcon } from "../shared/icons.js";

/** Three things partners ask about most, under their links. */
export function LinkTips() {
  return (
    <ul className="tips" aria-label="Tips">
      <li className="tip">
        <span className="tip-icon" aria-hidden="true">
          <ChartIcon size={18} />
        </span>
        <div>
          <h3 className="tip-title">Tell campaigns apart</h3>
          <p className="tip-text">
            Add <code>?sub1=newsletter</code> (up to <code>sub5</code>) to any link. Each click keeps it.
          </p>
        </div>
      </li>
      <li className="tip">
        <span className="tip-icon" aria-hidden="true">
          <LinkIcon size={18} />
        </span>
        <div>
          <h3 className="tip-title">Link to the right page</h3>
          <p className="tip-text">
            Any link can land on pricing, a feature or a signup page instead of the home page: name the page when you
            build a link above, or make a custom link for it.
          </p>
        </div>
      </li>
      <li className="tip">
        <span className="tip-icon" aria-hidden="true">
          <TagIcon size={18} />
        </span>
        <div>
          <h3 className="tip-title">Codes work without clicks</h3>
          <p className="tip-text">
            Say your coupon code in podcasts and videos: orders that use it are credited to you.
          </p>
        </div>
      </li>
    </ul>
  );
}
