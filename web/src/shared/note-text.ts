import { currencyDigits, formatMoney, isCurrencyCode } from "./money.js";
import { sentenceCase } from "./sentence-case.js";

/*
 * The server writes the amounts in its notes (a ledger entry's explanation, a statement line, a payout's error) as
 * src/lib/money.ts formatMinor does: the ISO code, a space, the amount with "," between thousands and exactly the
 * currency's minor digits, a "-" before the code when negative ("refund before payout: -USD 49.00 reverses part of
 * the commission"). That text is stored with the entry, so notes written years ago read the same way. Pages show
 * money as formatMoney does, in the viewer's locale ("$49.00"): a note's amounts are rewritten so, when it is shown.
 */
const SERVER_AMOUNT = /(-?)\b([A-Z]{3}) (\d{1,3}(?:,\d{3})*)(?:\.(\d+))?(?!\d|[.,]\d)/g;

/**
 * A note with each amount the server wrote ("USD 1,234.50", "-JPY 500") as the pages write money ("$1,234.50",
 * "−¥500"). Anything else that looks alike is left as it is: three capitals that are no currency ("VIP 100"), or an
 * amount with other digits than its currency has ("USD 100": the server always writes the cents).
 */
export function withPageMoney(text: string): string {
  return text.replace(SERVER_AMOUNT, (found, sign: string, code: string, whole: string, fraction?: string) => {
    if (!isCurrencyCode(code) || (fraction ?? "").length !== currencyDigits(code)) return found;
    const minor = BigInt(whole.replaceAll(",", "") + (fraction ?? ""));
    if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return found;
    // Negative as the ledger's amount column beside the note writes it.
    return formatMoney(Number(sign ? -minor : minor), code);
  });
}

/** A note from the server as a sentence on a page: its amounts as the pages write money, its first letter capital. */
export const readableNote = (text: string): string => sentenceCase(withPageMoney(text));
