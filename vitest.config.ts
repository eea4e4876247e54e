import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources; the stdio and CLI process tests use the built dist/.
    alias: [
      { find: /^@maa-policy\/core$/, replacement: here("./packages/policy-core/src/index.ts") },
      { find: /^@maa-policy\/evidence$/, replacement: here("./packages/evidence/src/index.ts") },
      { find: /^@maa-policy\/core\/testing$/, replacement: here("./packages/policy-core/src/testing/index.ts") },
      { find: /^@maa-policy\/service$/, replacement: here("./packages/service/src/index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts", "packages/*/test/**/*.test.ts"],
    // Real outside programs (Neovim, a browser, VS Code) run in `npm run test:e2e` (vitest.e2e.config.ts).
    exclude: ["test/e2e/**", "**/node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
