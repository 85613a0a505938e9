import { describe, expect, test } from "vitest";
import { accountAttention } from "./account-attention.js";

const requirements = (disabled_reason: string | null, past_due: string[] = []) =>
  ({ disabled_reason, past_due }) as never;

describe("accountAttention", () => {
  test("an account Stripe pays out to needs nothing", () => {
    expect(accountAttention({ payouts_enabled: true, requirements: requirements(null) })).toBeNull();
  });

  test.each([
    [
      false,
      "requirements.past_due",
      ["individual.verification.document"],
      "Stripe has paused payouts to this account: information Stripe asked for is past due; overdue: individual verification document. Update the account in Stripe; payouts resume once Stripe enables it again.",
    ],
    [
      true,
      null,
      ["external_account"],
      "Stripe needs information for this account: overdue: external account. Update the account in Stripe; payouts resume once Stripe enables it again.",
    ],
    [
      false,
      "rejected.fraud",
      [],
      "Stripe has paused payouts to this account: Stripe rejected the account (suspected fraud). Update the account in Stripe; payouts resume once Stripe enables it again.",
    ],
    [
      false,
      "a_new_code",
      [],
      "Stripe has paused payouts to this account: Stripe's reason: a_new_code. Update the account in Stripe; payouts resume once Stripe enables it again.",
    ],
  ])("payouts_enabled=%s, disabled_reason=%s, past_due=%j", (enabled, reason, pastDue, message) => {
    expect(accountAttention({ payouts_enabled: enabled, requirements: requirements(reason, pastDue) })).toBe(message);
  });

  test("a long past-due list names five fields and counts the rest", () => {
    const pastDue = ["a", "b", "c", "d", "e", "f", "g"];
    expect(accountAttention({ payouts_enabled: false, requirements: requirements(null, pastDue) })).toContain(
      "overdue: a, b, c, d, e and 2 more",
    );
  });
});
