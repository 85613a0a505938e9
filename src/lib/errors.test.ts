import { describe, expect, test } from "vitest";
import { fieldError } from "./errors.js";

describe("fieldError", () => {
  test("a predicate's detail names its field, as the schema's problems do; errors keep the message as written", () => {
    const error = fieldError("/occurredAt", "is in the future (the server's clock says 2026-11-24T06:51:40.057Z)");
    expect(error.message).toBe("/occurredAt is in the future (the server's clock says 2026-11-24T06:51:40.057Z)");
    expect(error.fields).toEqual([
      { field: "/occurredAt", message: "is in the future (the server's clock says 2026-11-24T06:51:40.057Z)" },
    ]);
    expect(fieldError("querystring:/to", "must be after from").message).toBe("querystring:/to must be after from");
  });

  test("a message that is a sentence of its own stays as it is", () => {
    const message = "a sale needs a customer id, a click id or a coupon code to be attributable";
    expect(fieldError("/customerExternalId", message).message).toBe(message);
    expect(fieldError("/", "send at least one lead, sale or refund").message).toBe(
      "send at least one lead, sale or refund",
    );
  });
});
