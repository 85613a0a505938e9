import { expect, test } from "vitest";
import { isStorableText, MAX_NESTING, unstorableTextIn } from "./storable-text.js";

test("text with a NUL or a lone surrogate is not storable; paired surrogates (emoji) are", () => {
  expect(isStorableText("order-1")).toBe(true);
  expect(isStorableText("💸 café")).toBe(true);
  expect(isStorableText("a\u0000b")).toBe(false);
  expect(isStorableText("lone-\ud800")).toBe(false);
  expect(isStorableText("\udc00tail")).toBe(false);
  expect(isStorableText("\udc00\ud800")).toBe(false);
});

test("every unstorable string or key is named by its JSON pointer", () => {
  expect(unstorableTextIn({ orderId: "o-1", amount: 100, products: [{ id: "p" }] })).toEqual({ unstorable: [] });
  expect(
    unstorableTextIn({
      orderId: "o\u0000",
      products: [{ id: "ok" }, { id: "\ud800" }],
      "a/b~\u0000": "x",
      nested: { fine: null, flag: true },
    }),
  ).toEqual({ unstorable: ["/orderId", "/products/1/id", "/a~1b~0\u0000"] });
  expect(unstorableTextIn("\u0000")).toEqual({ unstorable: ["/"] });
  expect(unstorableTextIn(undefined)).toEqual({ unstorable: [] });
});

test("a value nested deeper than MAX_NESTING is named, not walked: 100,000 levels do not exhaust the stack", () => {
  let deep: unknown = "\u0000";
  for (let i = 0; i < 100_000; i++) deep = [deep];
  expect(unstorableTextIn({ programId: deep, orderId: "o\u0000" })).toEqual({
    unstorable: ["/orderId"],
    tooDeep: `/programId${"/0".repeat(MAX_NESTING - 1)}`,
  });
  let fine: unknown = "ok";
  for (let i = 0; i < MAX_NESTING - 1; i++) fine = { k: fine };
  expect(unstorableTextIn({ fine })).toEqual({ unstorable: [] });
});
