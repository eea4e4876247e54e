import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.ts";

// `npm run test:e2e`: suites that drive real programs from Debian's packages (see `.ci/setup-extra`).
// Each fails, never skips, when its program is missing.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ["test/e2e/**/*.test.ts"],
      exclude: [],
      testTimeout: 120_000,
      hookTimeout: 300_000,
      fileParallelism: false,
    },
  }),
);
