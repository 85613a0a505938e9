import { formatMoney, formatSignedMoney } from "./money.js";

/** An amount in a table cell, red when negative (a clawback, a payout out of a balance); `signed` shows the +. */
export function MoneyAmount({
  amount,
  currency,
  signed = false,
}: {
  amount: number;
  currency: string;
  signed?: boolean;
}) {
  return (
    <span className={amount < 0 ? "amount amount-negative" : "amount"}>
      {signed ? formatSignedMoney(amount, currency) : formatMoney(amount, currency)}
    </span>
  );
}
