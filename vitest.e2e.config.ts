import { defineConfig } from "vitest/config";

/** Browser tests against the built web app (`npm run build` first). */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.test.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 90_000,
    env: { TRIBUTARY_E2E: "1" },
  },
});
