import { defineConfig } from "vitest/config";
import base from "./vitest.config.ts";

// `npm run test:e2e`: suites that drive real programs from Debian's packages (see `.ci/setup-extra`).
// Each fails, never skips, when its program is missing. The test options are set here in full, not
// merged: mergeConfig concatenates arrays, which kept the unit suite's `include` and its exclusion
// of test/e2e/.
export default defineConfig({
  resolve: base.resolve,
  test: {
    include: ["test/e2e/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
