import { type ActivePlan, type CalculationContext, pairKey } from "./load-calculation-context.js";

/** The plan that pays a partner in a program: its own plan, else its tier's, else the program's. */
export function planFor(
  context: Pick<CalculationContext, "plansByProgram" | "enrollments">,
  programId: string,
  partnerId: string,
): ActivePlan | undefined {
  const plans = context.plansByProgram.get(programId);
  if (!plans) return undefined;
  const tier = context.enrollments.get(pairKey(programId, partnerId))?.tier;
  return (
    plans.find((p) => p.scope === "partner" && p.scopeValue === partnerId) ??
    (tier ? plans.find((p) => p.scope === "tier" && p.scopeValue === tier) : undefined) ??
    plans.find((p) => p.scope === "program")
  );
}
