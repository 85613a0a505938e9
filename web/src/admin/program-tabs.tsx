import { useRef } from "react";
import { NavLink } from "react-router";
import { useActiveInView } from "../shared/use-active-in-view.js";

export const PROGRAM_TABS = [
  { tab: "", label: "Overview" },
  { tab: "performance", label: "Performance" },
  { tab: "links", label: "Links" },
  { tab: "coupons", label: "Coupons" },
  { tab: "conversions", label: "Conversions" },
  { tab: "commissions", label: "Commissions" },
  { tab: "clicks", label: "Clicks" },
  { tab: "tracking", label: "Tracking" },
  { tab: "install", label: "Install" },
  { tab: "fraud-rules", label: "Fraud rules" },
] as const;

export type ProgramTab = (typeof PROGRAM_TABS)[number]["tab"];

/** The program page's sections as links, so each one has its own address. */
export function ProgramTabs({ programId }: { programId: string }) {
  const stripRef = useRef<HTMLElement>(null);
  // On a phone the tabs scroll sideways: the current one is brought into view.
  useActiveInView(stripRef);
  return (
    <nav ref={stripRef} className="tabs" aria-label="Program sections">
      {PROGRAM_TABS.map(({ tab, label }) => (
        <NavLink
          key={tab}
          to={tab ? `/admin/programs/${programId}/${tab}` : `/admin/programs/${programId}`}
          end
          className="tab"
        >
          {label}
        </NavLink>
      ))}
    </nav>
  );
}
