/**
 * The parser's lookahead functions: Chevrotain's LL(k) decisions, dispatched on the next token.
 *
 * Chevrotain 11.2.0 decides an `OR` with more than one token of lookahead by trying every path
 * of every alternative in order, and one with a `GATE` by first building an array of the gates
 * (on every call). Here the same paths (`getLookaheadPaths`, Chevrotain's own computation) are
 * indexed once by their first token: a decision reads the candidates for the next token's type
 * and checks only their remaining tokens, with no allocation. The answer is Chevrotain's: the
 * first alternative, in order, whose gate holds and one of whose paths matches the next tokens
 * (a path whose first token does not match cannot match, so skipping it changes nothing; the
 * gates are pure lookahead tests, so calling fewer of them changes nothing either).
 * `test/property/lookahead.prop.test.ts` compares both strategies on random token sequences.
 */
import { getLookaheadPaths, LLkLookaheadStrategy, type IOrAlt, type IToken, type OptionalProductionType, type Rule, type TokenType } from "chevrotain";

type Path = readonly TokenType[];

/** An alternative that may be taken when the next token has a given type. */
interface Candidate {
  readonly alt: number;
  /** Taken without looking further: one of its paths is that one token (or empty). */
  readonly sure: boolean;
  /** Otherwise, the rest of each of its paths that start with that token. */
  readonly tails: readonly Path[];
}

/** What the lookahead functions read of the parser (`this` when Chevrotain calls them). */
interface Lookahead {
  LA(howMuch: number): IToken;
}

function matches(t: IToken, type: TokenType): boolean {
  return t.tokenTypeIdx === type.tokenTypeIdx || (type.isParent === true && type.categoryMatchesMap?.[t.tokenTypeIdx] === true);
}

/** The token types a path's first element matches: itself and the types in its category. */
function typesMatched(type: TokenType): readonly number[] {
  return [type.tokenTypeIdx as number, ...(type.categoryMatches ?? [])];
}

/** Indexes alternatives' lookahead paths by the type of their first token. */
function dispatchTable(alternatives: readonly (readonly Path[])[]): { table: (readonly Candidate[] | undefined)[]; others: readonly Candidate[] } {
  let max = 0;
  for (const paths of alternatives) for (const p of paths) if (p[0] !== undefined) for (const i of typesMatched(p[0])) max = Math.max(max, i);
  const table: (readonly Candidate[] | undefined)[] = new Array<readonly Candidate[] | undefined>(max + 1).fill(undefined);
  const candidatesFor = (idx: number | undefined): Candidate[] => {
    const out: Candidate[] = [];
    alternatives.forEach((paths, alt) => {
      let sure = false;
      const tails: Path[] = [];
      for (const p of paths) {
        const first = p[0];
        if (first === undefined) sure = true;
        else if (idx !== undefined && typesMatched(first).includes(idx)) {
          if (p.length === 1) sure = true;
          else tails.push(p.slice(1));
        }
      }
      if (sure || tails.length > 0) out.push({ alt, sure, tails: sure ? [] : tails });
    });
    return out;
  };
  for (let idx = 0; idx <= max; idx++) {
    const c = candidatesFor(idx);
    table[idx] = c.length > 0 ? c : undefined;
  }
  return { table, others: candidatesFor(undefined) };
}

/** Whether the tokens after the next one match `tail`. */
function tailMatches(parser: Lookahead, tail: Path): boolean {
  for (let i = 0; i < tail.length; i++) if (!matches(parser.LA(i + 2), tail[i] as TokenType)) return false;
  return true;
}

/** Chevrotain's LL(k) strategy with decisions dispatched on the next token's type. */
export class DispatchLookahead extends LLkLookaheadStrategy {
  override buildLookaheadForAlternation(options: {
    prodOccurrence: number;
    rule: Rule;
    maxLookahead: number;
    hasPredicates: boolean;
    dynamicTokensEnabled: boolean;
  }): (orAlts?: IOrAlt<unknown>[] | undefined) => number | undefined {
    if (options.dynamicTokensEnabled) return super.buildLookaheadForAlternation(options);
    const paths = getLookaheadPaths({ occurrence: options.prodOccurrence, rule: options.rule, prodType: "Alternation", maxLookahead: options.maxLookahead });
    const { table, others } = dispatchTable(paths);
    const gated = options.hasPredicates;
    return function (this: Lookahead, orAlts?: IOrAlt<unknown>[]): number | undefined {
      const candidates = table[this.LA(1).tokenTypeIdx] ?? others;
      for (let c = 0; c < candidates.length; c++) {
        const candidate = candidates[c] as Candidate;
        if (gated && orAlts !== undefined) {
          const gate = (orAlts[candidate.alt] as { GATE?: () => boolean }).GATE;
          if (gate !== undefined && gate.call(this) === false) continue;
        }
        if (candidate.sure) return candidate.alt;
        const tails = candidate.tails;
        for (let t = 0; t < tails.length; t++) if (tailMatches(this, tails[t] as Path)) return candidate.alt;
      }
      return undefined;
    };
  }

  override buildLookaheadForOptional(options: {
    prodOccurrence: number;
    prodType: OptionalProductionType;
    rule: Rule;
    maxLookahead: number;
    dynamicTokensEnabled: boolean;
  }): () => boolean {
    if (options.dynamicTokensEnabled) return super.buildLookaheadForOptional(options);
    // Chevrotain decides on the paths inside the production (the first of the two sequences).
    const inside = getLookaheadPaths({ occurrence: options.prodOccurrence, rule: options.rule, prodType: options.prodType, maxLookahead: options.maxLookahead })[0] ?? [];
    const { table, others } = dispatchTable([inside]);
    return function (this: Lookahead): boolean {
      const candidate = (table[this.LA(1).tokenTypeIdx] ?? others)[0];
      if (candidate === undefined) return false;
      if (candidate.sure) return true;
      const tails = candidate.tails;
      for (let t = 0; t < tails.length; t++) if (tailMatches(this, tails[t] as Path)) return true;
      return false;
    };
  }
}
