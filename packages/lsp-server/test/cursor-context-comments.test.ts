/**
 * Issue 17, item 8: the completion context finds sections as the lexer does. A section keyword
 * inside a `/* … *\/` comment or inside a string is not a section, near the cursor or far back
 * (beyond the lexed window), and a window that would start inside a block comment starts after it.
 */
import { describe, expect, it } from "vitest";
import { cursorContext, WINDOW } from "../src/features/cursor-context.js";

function at(marked: string) {
  const offset = marked.indexOf("|");
  return cursorContext(marked.slice(0, offset) + marked.slice(offset + 1), offset);
}

const AUTHZ = "version=1.2;\nauthorizationrules\n{\n    => permit();\n};\n";

describe("cursor context and comments (item 8)", () => {
  it("completion after `=>` in issuancerules works below a block comment naming authorizationrules", () => {
    const c = at(`${AUTHZ}issuancerules\n{\n    /* moved from authorizationrules */\n    => |\n};\n`);
    expect(c.section).toBe("issuancerules");
    expect(c.place.kind).toBe("action");
  });

  it("a section keyword inside a string is not a section", () => {
    const c = at(`${AUTHZ}issuancerules\n{\n    [type=="authorizationrules"] => |\n};\n`);
    expect(c.section).toBe("issuancerules");
    expect(c.place.kind).toBe("action");
  });

  it("a multi-line block comment before the window, with a keyword at a line start, is not a section", () => {
    const filler = `    => issue(type="t", value="${"x".repeat(60)}");\n`.repeat(Math.ceil((WINDOW * 1.5) / 80));
    const text = `${AUTHZ}issuancerules\n{\n/*\nauthorizationrules\n*/\n${filler}    => |\n};\n`;
    const c = at(text);
    expect(c.section).toBe("issuancerules");
    expect(c.place.kind).toBe("action");
  });

  it("a window that starts inside a long block comment starts after it", () => {
    const comment = `/*\n${"    authorizationrules { => permit(); };\n".repeat(Math.ceil((WINDOW * 1.2) / 40))}*/\n`;
    const c = at(`${AUTHZ}issuancerules\n{\n${comment}    => |\n};\n`);
    expect(c.section).toBe("issuancerules");
    expect(c.place.kind).toBe("action");
  });

  it("inside a block comment nothing is offered", () => {
    expect(at(`${AUTHZ}issuancerules\n{\n    /* => | */\n};\n`).place.kind).toBe("none");
  });
});
