import { useState } from "react";
import { PerformancePanel } from "../shared/performance-panel.js";
import type { Program } from "../shared/types.js";
import { PartnerRankingCard } from "./partner-ranking-card.js";

/** The program's figures over time, and the partners behind them over the same days. */
export function ProgramPerformanceTab({ program }: { program: Program }) {
  const [days, setDays] = useState(30);
  return (
    <>
      <PerformancePanel
        path="/v1/stats"
        area="admin"
        params={{ programId: program.id }}
        title="Program performance"
        currency={program.currency}
        days={days}
        onDaysChange={setDays}
      />
      <PartnerRankingCard programId={program.id} days={days} />
    </>
  );
}
