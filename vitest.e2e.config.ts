import { defineConfig } from "vitest/config";

/** Browser tests against the built web app (`npm run build` first). */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.test.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 90_000,
    // expect.poll's own default is 1 s: a debounced search, a fetch and a render under CI's load can take longer
    // (the install page's conversion search failed that way once). Playwright's own assertions wait 5 s.
    expect: { poll: { timeout: 10_000 } },
    env: { TRIBUTARY_E2E: "1" },
  },
});
