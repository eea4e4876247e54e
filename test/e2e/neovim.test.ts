/**
 * A real third-party client: headless Neovim (Debian package `neovim`, installed by
 * `.ci/setup-extra`) attaches the built server to a policy file through a small Lua config; the
 * test asserts on the diagnostics Neovim received and on a completion it requested. This test
 * fails, never skips, when `nvim` is missing.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { exitCode } from "./support/process.js";

const MAIN = fileURLToPath(new URL("../../packages/lsp-server/dist/main.js", import.meta.url));

const INIT_LUA = `
local out = os.getenv("MAA_NVIM_OUT")
local function finish(result)
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
  vim.cmd("qa!")
end
vim.api.nvim_create_autocmd("VimEnter", { callback = function()
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "maa-policy",
    cmd = { os.getenv("MAA_NODE"), os.getenv("MAA_LSP_MAIN"), "--stdio" },
    root_dir = vim.fn.getcwd(),
    settings = { ["maa-policy"] = { attestationType = "SgxEnclave" } },
  })
  if not client_id then return finish({ error = "start_client failed" }) end
  vim.lsp.buf_attach_client(bufnr, client_id)
  local got = vim.wait(20000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
  local result = { attached = got, diagnostics = {}, completion = {} }
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
    table.insert(result.diagnostics, { code = code, lnum = d.lnum, col = d.col, message = d.message, source = d.source })
  end
  local line = tonumber(os.getenv("MAA_LINE"))
  local character = tonumber(os.getenv("MAA_CHAR"))
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = line, character = character } }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/completion", params, 20000) or {}
  for _, r in pairs(responses) do
    local items = r.result or {}
    if items.items then items = items.items end
    for _, item in ipairs(items) do table.insert(result.completion, item.label) end
  end
  finish(result)
end })
`;

const POLICY = `version=1.2;
authorizationrules
{
    c:[type=="x-ms-sgx-is-debuggable", value==false] => premit();
    c:[type==
};
`;

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null && child.pid !== undefined) {
    try {
      process.kill(child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  child = undefined;
});

describe("Neovim as the client", () => {
  it("receives diagnostics and completes a claim type", async () => {
    const which = spawnSync("nvim", ["--version"], { encoding: "utf8" });
    expect(which.error, "nvim is not installed: run .ci/setup-extra (apt-get install neovim)").toBeUndefined();
    expect(existsSync(MAIN), `${MAIN} is missing: build with npx tsc -b`).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), "maa-nvim-"));
    writeFileSync(join(dir, "init.lua"), INIT_LUA);
    writeFileSync(join(dir, "policy.maa"), POLICY);
    const out = join(dir, "out.json");
    child = spawn("nvim", ["--headless", "-n", "-i", "NONE", "-u", join(dir, "init.lua"), join(dir, "policy.maa")], {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, MAA_NVIM_OUT: out, MAA_NODE: process.execPath, MAA_LSP_MAIN: MAIN, MAA_LINE: "4", MAA_CHAR: "13", XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir, XDG_STATE_HOME: dir },
    });
    let stderr = "";
    child.stderr?.on("data", (b: Buffer) => (stderr += b.toString()));
    const code = await exitCode(child, "nvim", 45_000, () => stderr);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(readFileSync(out, "utf8")) as {
      attached: boolean;
      diagnostics: { code: string; lnum: number; col: number; message: string; source: string }[];
      completion: string[];
    };
    expect(result.attached).toBe(true);
    const unknown = result.diagnostics.find((d) => d.code === "P1007");
    expect(unknown).toMatchObject({ lnum: 3, col: 56, source: "maa-policy" });
    expect(unknown?.message).toContain("premit");
    expect(result.completion).toContain("x-ms-sgx-svn");
    expect(result.completion).not.toContain("secureBootEnabled");
  }, 60_000);
});
