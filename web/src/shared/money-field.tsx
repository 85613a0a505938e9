import type { ComponentProps, ReactNode } from "react";
import { TextField } from "./text-field.js";

type FieldProps = Omit<ComponentProps<typeof TextField>, "prefix" | "suffix" | "inputMode" | "type">;

const symbols = new Map<string, string>();

/** "$" for USD, "€" for EUR, "CHF" when the locale has no symbol. */
function currencySymbol(currency: string): string {
  let symbol = symbols.get(currency);
  if (symbol === undefined) {
    try {
      symbol =
        new Intl.NumberFormat(undefined, { style: "currency", currency, currencyDisplay: "narrowSymbol" })
          .formatToParts(0)
          .find((part) => part.type === "currency")?.value ?? currency;
    } catch {
      symbol = currency;
    }
    symbols.set(currency, symbol);
  }
  return symbol;
}

/**
 * An amount in major units ("49.90"), with the currency beside it. The text stays as typed; the form reads it
 * into minor units with parseMoney when it submits, so nothing is rounded on the way.
 */
export function MoneyField({ currency, ...props }: FieldProps & { currency: string; label: ReactNode }) {
  return <TextField {...props} prefix={currencySymbol(currency)} inputMode="decimal" autoComplete="off" />;
}

/** A rate in percent ("12.5"), sent as basis points. */
export function PercentField(props: FieldProps & { label: ReactNode }) {
  return <TextField {...props} suffix="%" inputMode="decimal" autoComplete="off" />;
}
