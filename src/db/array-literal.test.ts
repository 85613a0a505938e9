import { expect, test } from "vitest";
import { arrayLiteral } from "./array-literal.js";

test.each([
  { values: [], literal: "{}" },
  { values: ["a", null, undefined, ""], literal: '{"a",NULL,NULL,""}' },
  { values: [1, 2n, -3n], literal: "{1,2,-3}" },
  { values: ['{"k": "v\\\\"}', "NULL", "a,b"], literal: '{"{\\"k\\": \\"v\\\\\\\\\\"}","NULL","a,b"}' },
])("$literal", ({ values, literal }) => expect(arrayLiteral(values)).toBe(literal));
