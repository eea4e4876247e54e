/**
 * Property: random sequences of incremental edits (insertions, deletions, replacements, across
 * line breaks, CRLF and non-ASCII text included) leave the server's text equal to the expected
 * text, and the server keeps answering requests and publishing diagnostics without errors.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type * as lsp from "vscode-languageserver";
import { TestClient, VALID_POLICY, positionAt } from "./support/client.js";

const URI = "file:///tmp/prop/policy.maa";

const fragment = fc.oneof(
  fc.constantFrom("", "\n", "\r\n", " ", ";", "}", "{", "[", "]", "(", ")", '"', "=>", "==", "c:", "c.value", "permit()", "deny();", "issue(", "type=", 'type=="x-ms-sgx-svn"', "é", "😀", "// note\n", "authorizationrules", "version=1.2;"),
  fc.string({ maxLength: 8 }),
);

interface Edit {
  readonly a: number;
  readonly b: number;
  readonly text: string;
}

const edits = fc.array(fc.record({ a: fc.nat(), b: fc.nat(), text: fragment }), { minLength: 1, maxLength: 15 });

/** Keeps offsets off the middle of a surrogate pair and of a CRLF, as an editor would. */
function clamp(text: string, o: number): number {
  let x = Math.min(o, text.length);
  const c = text.charCodeAt(x);
  if (x > 0 && ((c >= 0xdc00 && c <= 0xdfff) || (c === 10 && text.charCodeAt(x - 1) === 13))) x--;
  return x;
}

describe("incremental sync", () => {
  it("keeps the server's text equal to the expected text and never crashes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(VALID_POLICY, VALID_POLICY.replace(/\n/g, "\r\n"), ""), edits, async (initial, list: Edit[]) => {
        const client = new TestClient();
        try {
          await client.initialize();
          await client.open(URI, initial);
          let expected = initial;
          let version = 1;
          for (const e of list) {
            const start = clamp(expected, Math.min(e.a, e.b) % (expected.length + 1));
            const end = clamp(expected, Math.max(e.a, e.b) % (expected.length + 1));
            const s = Math.min(start, end);
            const t = Math.max(start, end);
            const change: lsp.TextDocumentContentChangeEvent = { range: { start: positionAt(expected, s), end: positionAt(expected, t) }, text: e.text };
            expected = expected.slice(0, s) + e.text + expected.slice(t);
            version++;
            await client.change(URI, version, [change]);
          }
          const end = positionAt(expected, expected.length);
          // Requests after the edits are answered (never an error), in order with the edits.
          await client.request("textDocument/completion", { textDocument: { uri: URI }, position: end });
          await client.request("textDocument/hover", { textDocument: { uri: URI }, position: { line: 0, character: 1 } });
          await client.request("textDocument/documentSymbol", { textDocument: { uri: URI } });
          await client.request("textDocument/semanticTokens/full", { textDocument: { uri: URI } });
          expect(client.server.workspace.document(URI)?.getText()).toBe(expected);
          await client.waitVersion(URI, version);
          expect(client.logs.filter((l) => l.includes("failed"))).toEqual([]);
        } finally {
          client.dispose();
        }
      }),
      { numRuns: 60 },
    );
  });
});
