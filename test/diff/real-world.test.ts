/**
 * `diffPolicies` on pairs of published policies whose relation is known: the report names the
 * exact differences (and nothing else), and every smallest input reproduces with `evaluate`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { compile, describeChange, diffPolicies, evaluate, type InputClaim, type PolicyDiff } from "@maa-policy/core";

const dir = path.resolve(import.meta.dirname, "../fixtures/real-world");
const rw = (f: string): string => readFileSync(path.join(dir, f), "utf8");

const BEFORE = "05-doc-claimsets-mrsigner-before-rotation.policy";
const DURING = "06-doc-claimsets-mrsigner-during-rotation.policy";
const AFTER = "07-doc-claimsets-mrsigner-after-rotation.policy";

function summaries(d: PolicyDiff): string[] {
  return (d.search?.differences ?? []).map((x) => x.summary).sort();
}

function claimMap(claims: readonly InputClaim[]): Record<string, unknown> {
  return Object.fromEntries(claims.map((c) => [c.type, c.value]));
}

/** Every reported difference reproduces when each policy is evaluated on its input. */
function expectReproducible(oldText: string, newText: string, d: PolicyDiff): void {
  const a = compile(oldText).policy;
  const b = compile(newText).policy;
  if (!a || !b) throw new Error("both policies compile");
  for (const x of d.search?.differences ?? []) {
    expect(evaluate(a, x.claims).decision).toBe(x.old.decision);
    expect(evaluate(b, x.claims).decision).toBe(x.new.decision);
  }
}

describe("mrsigner rotation: which signer is admitted when", () => {
  test("before → during: mrsigner2 is admitted as well; nothing is denied that was permitted", () => {
    const d = diffPolicies(rw(BEFORE), rw(DURING));
    expect(d.status).toBe("different");
    expect(summaries(d)).toEqual(["decision deny → permit"]);
    const x = d.search?.differences[0];
    expect(x?.kinds).toEqual(["permit-more"]);
    expect(claimMap(x?.claims ?? [])).toEqual({ "x-ms-sgx-is-debuggable": false, "x-ms-sgx-mrsigner": "mrsigner2" });
    expect(d.summary.kinds["deny-more"]).toBe(0);
    expect(d.search?.targetMet).toBe(true);
    expectReproducible(rw(BEFORE), rw(DURING), d);
  });

  test("during → after: mrsigner1 is no longer admitted; nothing newly permitted", () => {
    const d = diffPolicies(rw(DURING), rw(AFTER));
    expect(summaries(d)).toEqual(["decision permit → deny"]);
    const x = d.search?.differences[0];
    expect(x?.kinds).toEqual(["deny-more"]);
    expect(claimMap(x?.claims ?? [])).toEqual({ "x-ms-sgx-is-debuggable": false, "x-ms-sgx-mrsigner": "mrsigner1" });
    expect(d.summary.kinds["permit-more"]).toBe(0);
    expectReproducible(rw(DURING), rw(AFTER), d);
  });

  test("before → after: mrsigner1 out, mrsigner2 in", () => {
    const d = diffPolicies(rw(BEFORE), rw(AFTER));
    const byKind = Object.fromEntries((d.search?.differences ?? []).map((x) => [x.kinds.join(","), claimMap(x.claims)["x-ms-sgx-mrsigner"]]));
    expect(byKind).toEqual({ "permit-more": "mrsigner2", "deny-more": "mrsigner1" });
    expectReproducible(rw(BEFORE), rw(AFTER), d);
  });

  test("a debuggable enclave is denied by all three (no input with is-debuggable true differs)", () => {
    for (const [a, b] of [[BEFORE, DURING], [DURING, AFTER], [BEFORE, AFTER]] as const) {
      for (const x of diffPolicies(rw(a), rw(b)).search?.differences ?? []) expect(claimMap(x.claims)["x-ms-sgx-is-debuggable"]).toBe(false);
    }
  });
});

test("the service's default SGX policies of 2020 ($-claims) and 2021 (x-ms-sgx-* claims)", () => {
  const oldText = rw("43-sgx-default-dollar-compact.policy");
  const newText = rw("58-service-default-openenclave-2021.policy");
  const d = diffPolicies(oldText, newText);
  expect(d.status).toBe("different");
  // 2020 permits only with a `$is-debuggable` claim; 2021 permits everything.
  const permit = d.search?.differences.find((x) => x.change.kind === "decision");
  expect(permit?.summary).toBe("decision deny → permit");
  expect(permit?.claims).toEqual([]);
  // Every issued claim moves from a `$` source claim to an `x-ms-*` source claim: each is removed
  // (the $ claim alone) and added (the x-ms claim alone), and no other claim type changes.
  const types = ["is-debuggable", "product-id", "sgx-mrenclave", "sgx-mrsigner", "svn", "tee"];
  const claimChanges = (d.search?.differences ?? []).filter((x) => x.change.kind !== "decision");
  const removed = claimChanges.filter((x) => x.change.kind === "claim-removed").map((x) => (x.change as { type: string }).type).sort();
  const added = claimChanges.filter((x) => x.change.kind === "claim-added").map((x) => (x.change as { type: string }).type).sort();
  expect(removed).toEqual(types);
  expect(added).toEqual(types.filter((t) => t !== "is-debuggable"));
  for (const x of claimChanges) expect(x.kinds).toEqual(["claims"]);
  // `is-debuggable` is issued by both, from different claims: with both it shows as a change.
  expect(claimChanges.some((x) => x.change.kind === "claim-changed" && x.change.type === "is-debuggable")).toBe(true);
  // The smallest input for a removed claim is the $ claim (with `$is-debuggable`, to be permitted by 2020).
  const svn = claimChanges.find((x) => x.change.kind === "claim-removed" && x.change.type === "svn");
  expect(svn?.claims.map((c) => c.type).sort()).toEqual(["$is-debuggable", "$svn"]);
  expect(d.search?.targetMet).toBe(true);
  expectReproducible(oldText, newText, d);
});

test("SQL Always Encrypted: svn 0 → svn 2 denies exactly svn 0 and 1", () => {
  const oldText = rw("94-sql-always-encrypted-sgx-svn0.policy");
  const newText = rw("95-sql-always-encrypted-sgx-svn2.policy");
  const d = diffPolicies(oldText, newText);
  expect(summaries(d)).toEqual(["decision permit → deny"]);
  const x = d.search?.differences[0];
  expect(x?.kinds).toEqual(["deny-more"]);
  expect(claimMap(x?.claims ?? [])).toEqual({
    "x-ms-sgx-is-debuggable": false,
    "x-ms-sgx-product-id": 4639,
    "x-ms-sgx-svn": 0,
    "x-ms-sgx-mrsigner": "e31c9e505f37a58de09335075fc8591254313eb20bb1a27e5443cc450b6e33e5",
  });
  // The boundary values around `>= 2` are all tried: 1 is denied by the new policy too, 2 and 3 permitted by both.
  const a = compile(oldText).policy;
  const b = compile(newText).policy;
  if (!a || !b) throw new Error("both compile");
  const at = (svn: number) => (x?.claims ?? []).map((c) => (c.type === "x-ms-sgx-svn" ? { ...c, value: svn } : c));
  expect([0, 1, 2, 3].map((v) => `${evaluate(a, at(v)).decision}/${evaluate(b, at(v)).decision}`)).toEqual(["permit/deny", "permit/deny", "permit/permit", "permit/permit"]);
  expect(d.summary.kinds["permit-more"]).toBe(0);
  expectReproducible(oldText, newText, d);
});

test("Constellation AzureGuest: the patch and its later version are equivalent, shown without searching", () => {
  const d = diffPolicies(rw("71-constellation-azureguest-patch.policy"), rw("72-constellation-azureguest-patch-2023-03.policy"));
  expect(d.status).toBe("equivalent");
  expect(d.search).toBeUndefined();
  expect(d.structural?.notes).toEqual(["the rules are the same: only layout and comments differ"]);
});

test("Constellation patch vs the service default it edited: only secureboot=false is newly permitted", () => {
  const oldText = rw("73-reconstructed-azure-default-azureguest.policy");
  const newText = rw("72-constellation-azureguest-patch-2023-03.policy");
  const d = diffPolicies(oldText, newText);
  expect((d.search?.differences ?? []).map((x) => `${x.summary} ${JSON.stringify(claimMap(x.claims))}`)).toEqual([
    'decision deny → permit {"secureboot":false}',
  ]);
  expect(d.search?.coverage.old).toMatchObject({ total: 7, fired: 7 });
  expectReproducible(oldText, newText, d);
});

test("descriptions of changes name the claim type and values", () => {
  const d = diffPolicies(rw("43-sgx-default-dollar-compact.policy"), rw("58-service-default-openenclave-2021.policy"));
  const changed = d.search?.differences.find((x) => x.change.kind === "claim-changed");
  expect(changed && describeChange(changed.change)).toMatch(/^issued claim `is-debuggable` changed: (true|false) → (true|false)$/);
});
