import { describe, expect, test } from "vitest";
import type { ApplicationQuestion } from "../../db/schema/index.js";
import type { FieldError } from "../../lib/errors.js";
import { validateAnswers } from "./validate-answers.js";

const questions: ApplicationQuestion[] = [
  { id: "q_channel", label: "Channel", type: "select", required: true, options: ["Blog", "YouTube"] },
  { id: "q_size", label: "Audience", type: "number", required: false },
  { id: "q_site", label: "Site", type: "url", required: false },
  { id: "q_pitch", label: "Pitch", type: "long_text", required: false },
  { id: "q_name", label: "Handle", type: "text", required: false },
];

const run = (answers: Record<string, unknown>) => {
  const errors: FieldError[] = [];
  const clean = validateAnswers(questions, answers, errors);
  return { clean, errors };
};

describe("validateAnswers", () => {
  test("accepts valid answers and normalises numbers and whitespace", () => {
    const { clean, errors } = run({
      q_channel: "Blog",
      q_size: "1200",
      q_site: "https://x.example",
      q_name: "  pat  ",
    });
    expect(errors).toEqual([]);
    expect(clean).toEqual({ q_channel: "Blog", q_size: 1200, q_site: "https://x.example", q_name: "pat" });
  });

  test.each([
    [{}, "/answers/q_channel", "is required"],
    [{ q_channel: "   " }, "/answers/q_channel", "is required"],
    [{ q_channel: "TikTok" }, "/answers/q_channel", "must be one of: Blog, YouTube"],
    [{ q_channel: "Blog", q_size: "lots" }, "/answers/q_size", "must be a number"],
    [{ q_channel: "Blog", q_site: "javascript:alert(1)" }, "/answers/q_site", "must be a full URL"],
    [{ q_channel: "Blog", q_site: "not a url" }, "/answers/q_site", "must be a full URL"],
    [{ q_channel: "Blog", q_name: "x".repeat(501) }, "/answers/q_name", "at most 500"],
    [{ q_channel: "Blog", q_pitch: 42 }, "/answers/q_pitch", "must be text"],
    [{ q_channel: "Blog", q_unknown: "x" }, "/answers/q_unknown", "not a question of this program"],
  ])("%j is refused at the field", (answers, field, message) => {
    const { errors } = run(answers);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.field).toBe(field);
    expect(errors[0]?.message).toContain(message);
  });

  test("optional questions may be left out", () => {
    expect(run({ q_channel: "YouTube" })).toEqual({ clean: { q_channel: "YouTube" }, errors: [] });
  });
});
