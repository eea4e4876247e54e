/**
 * `maa-policy/diff` through the protocol: the same report as `maa-policy diff --format json`
 * (and its Markdown), with the open document's unsaved text as the new side, the other policy by
 * URI or path, inputs from claims and policy test files, and clear errors; the server keeps
 * serving after a bad request.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { diffPolicies, policyDiffToJson, renderDiffMarkdown, type PolicyDiffJson } from "@maa-policy/core";
import { afterEach, describe, expect, it } from "vitest";
import { TestClient } from "./support/client.js";

let client: TestClient;
afterEach(() => client?.dispose());

const dir = mkdtempSync(join(tmpdir(), "maa-lsp-diff-"));
const OLD = 'version=1.2;\nauthorizationrules\n{\n    [type=="x-ms-sgx-svn", value>=1] => permit();\n};\n';
const NEW = 'version=1.2;\nauthorizationrules\n{\n    [type=="x-ms-sgx-svn", value>=2] => permit();\n};\n';
const OLD_PATH = join(dir, "old.policy");
const NEW_PATH = join(dir, "new.policy");
writeFileSync(OLD_PATH, OLD);
writeFileSync(NEW_PATH, OLD);
writeFileSync(join(dir, "svn1.claims.json"), JSON.stringify({ "x-ms-sgx-svn": 1 }));
writeFileSync(join(dir, "cases.policytest.json"), JSON.stringify({ policy: "new.policy", cases: [{ name: "svn 3", claims: { "x-ms-sgx-svn": 3 }, expect: { decision: "permit" } }] }));
const URI = pathToFileURL(NEW_PATH).href;

interface DiffResult {
  report: PolicyDiffJson;
  markdown: string;
}

describe("maa-policy/diff", () => {
  it("compares the open document (unsaved) with another policy: the report of maa-policy diff", async () => {
    client = new TestClient();
    await client.initialize();
    await client.open(URI, NEW);
    const r = await client.request<DiffResult>("maa-policy/diff", { uri: URI, against: pathToFileURL(OLD_PATH).href, claimsPaths: ["svn1.claims.json", "cases.policytest.json"] });
    const expected = policyDiffToJson(
      diffPolicies(OLD, NEW, {
        inputs: [
          { name: "svn1.claims.json", claims: [{ type: "x-ms-sgx-svn", value: 1, issuer: "AttestationService" }] },
          { name: "cases.policytest.json: svn 3", claims: [{ type: "x-ms-sgx-svn", value: 3, issuer: "AttestationService" }] },
        ],
      }),
      { oldName: "old.policy", oldText: OLD, newName: "new.policy", newText: NEW },
    );
    expect(r.report).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(r.markdown).toBe(renderDiffMarkdown(expected));
    expect(r.report.status).toBe("different");
    expect(r.report.given.map((g) => g.changes.length)).toEqual([1, 0]);
    expect(r.markdown).toContain("decision permit → deny");
  });

  it("takes the other policy as a path relative to the document, and says when they are equivalent", async () => {
    client = new TestClient();
    await client.initialize();
    const r = await client.request<DiffResult>("maa-policy/diff", { uri: URI, against: "old.policy" });
    // Not open: new.policy is read from disk, where it holds the old text.
    expect(r.report.status).toBe("equivalent");
    expect(r.markdown).toContain("**Equivalent**");
  });

  it("refuses bad parameters clearly, and keeps serving", async () => {
    client = new TestClient();
    await client.initialize();
    await expect(client.request("maa-policy/diff", { uri: URI })).rejects.toMatchObject({ code: -32602, message: expect.stringMatching(/against/) });
    await expect(client.request("maa-policy/diff", { uri: URI, against: "missing.policy" })).rejects.toMatchObject({ code: -32602 });
    await expect(client.request("maa-policy/diff", { uri: URI, against: "old.policy", claimsPaths: ["nope.json"] })).rejects.toThrow(/no such file/);
    await expect(client.request("maa-policy/diff", { uri: URI, against: "old.policy", claimsPaths: "x" })).rejects.toMatchObject({ code: -32602 });
    const ok = await client.request<DiffResult>("maa-policy/diff", { uri: URI, against: "old.policy", search: false });
    expect(ok.report.search).toBeNull();
  });
});
