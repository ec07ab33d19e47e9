/**
 * The rule functions against an independent reading of the law, on 20,000 random electorates.
 *
 * The reference below shares no code with vote-rules.ts: heads are found by comparing owner sets
 * member by member (the same buyer is the same set of owners; the developer's units are one
 * owner; a unit without a registered owner is its own), and every threshold is a BigInt
 * comparison of cross products written from the wording of Civil Code Art. 278 and Art. 1259
 * ("以上" includes the bound, "过半数" does not). Seeded, so a failure names a case that can be
 * replayed: the seed and the case number are in the message.
 */
import { seededRandom } from '../testing/seeded-random';
import { type Choice, decide, electorateTotals, type ElectorateHousehold, RULE_IDS, type RuleId, tally } from './vote-rules';

const SEED = 20261202;
// Under mutation testing (npm run test:mutation) every mutant reruns this: fewer cases there.
const CASES = process.env.YISHI_MUTATION === '1' ? 400 : 20_000;

interface Case {
  units: ElectorateHousehold[];
  ballots: Map<string, Choice>;
}

function randomCase(random: () => number): Case {
  const int = (n: number) => Math.floor(random() * n);
  const pool = Array.from({ length: 1 + int(6) }, (_, i) => `p${i}`);
  const allZero = random() < 0.05;
  const n = int(13);
  const units: ElectorateHousehold[] = [];
  for (let i = 0; i < n; i++) {
    const kind = random();
    let ownerIds: string[];
    let developerHeld = false;
    if (kind < 0.15) {
      developerHeld = true;
      // Registered as the developer, as nobody, or (a register quirk) under a person's name.
      ownerIds = [['dev'], [], [pool[int(pool.length)]!]][int(3)]!;
    } else if (kind < 0.25) {
      ownerIds = [];
    } else {
      // One to three owners from a small pool, so the same buyer and shared co-owners both occur;
      // sometimes one of them registered twice.
      const count = 1 + int(3);
      ownerIds = Array.from({ length: count }, () => pool[int(pool.length)]!);
    }
    const area = allZero || random() < 0.15 ? 0 : random() < 0.1 ? 1 : 1 + int(20000);
    units.push({ id: `h${i}`, areaCentiM2: area, ownerIds, developerHeld });
  }
  const ballots = new Map<string, Choice>();
  const turnout = random();
  for (const u of units) {
    if (random() >= turnout) continue; // did not vote
    const r = random();
    ballots.set(u.id, r < 0.5 ? 'for' : r < 0.8 ? 'against' : 'abstain');
  }
  return { units, ballots };
}

// ---------------------------------------------------------------------------------------------
// The reference

/** Owner sets are equal when each holds every member of the other (duplicates do not matter). */
function sameOwners(a: readonly string[], b: readonly string[]): boolean {
  for (const x of a) if (b.indexOf(x) < 0) return false;
  for (const x of b) if (a.indexOf(x) < 0) return false;
  return true;
}

function sameBuyer(a: ElectorateHousehold, b: ElectorateHousehold): boolean {
  if (a.developerHeld !== b.developerHeld) return false;
  if (a.developerHeld) return true;
  if (a.ownerIds.length === 0 || b.ownerIds.length === 0) return a.id === b.id;
  return sameOwners(a.ownerIds, b.ownerIds);
}

/** `part / whole ≥ n / d` (or `>`), as n, d, part, whole are integers: d·part against n·whole. */
function reaches(part: number, whole: number, n: number, d: number, inclusive: boolean): boolean {
  if (whole === 0) return true; // nothing to weigh
  const left = BigInt(d) * BigInt(part);
  const right = BigInt(n) * BigInt(whole);
  return inclusive ? left >= right : left > right;
}

interface Verdict {
  totals: { households: number; areaCentiM2: number; heads: number };
  participating: { households: number; areaCentiM2: number; heads: number };
  forHeads: number;
  participation: boolean | null;
  agreement: boolean;
  passed: boolean;
}

function reference(rule: RuleId, c: Case): Verdict {
  const heads: ElectorateHousehold[][] = [];
  for (const u of c.units) {
    let placed = false;
    for (const head of heads) {
      if (sameBuyer(head[0]!, u)) {
        head.push(u);
        placed = true;
        break;
      }
    }
    if (!placed) heads.push([u]);
  }
  let area = 0;
  let partArea = 0;
  let forArea = 0;
  let partUnits = 0;
  let forUnits = 0;
  let againstUnits = 0;
  for (const u of c.units) {
    const b = c.ballots.get(u.id);
    area += u.areaCentiM2;
    if (b !== undefined) {
      partArea += u.areaCentiM2;
      partUnits++;
    }
    if (b === 'for') {
      forArea += u.areaCentiM2;
      forUnits++;
    }
    if (b === 'against') againstUnits++;
  }
  let partHeads = 0;
  let forHeads = 0;
  for (const head of heads) {
    const cast = head.map((u) => c.ballots.get(u.id)).filter((b) => b !== undefined);
    if (cast.length > 0) partHeads++;
    // A head agrees only if every ballot it cast is for: an owner split both ways has not agreed.
    if (cast.length > 0 && cast.every((b) => b === 'for')) forHeads++;
  }
  const totals = { households: c.units.length, areaCentiM2: area, heads: heads.length };
  const participating = { households: partUnits, areaCentiM2: partArea, heads: partHeads };
  const base = { totals, participating, forHeads };
  const art278 = rule === 'art278_special' || rule === 'art278_ordinary';
  if (c.units.length === 0) return { ...base, participation: art278 ? false : null, agreement: false, passed: false };

  switch (rule) {
    case 'unanimous': {
      const agreement = forUnits === c.units.length;
      return { ...base, participation: null, agreement, passed: agreement };
    }
    case 'art278_special':
    case 'art278_ordinary': {
      const took = reaches(partArea, area, 2, 3, true) && reaches(partHeads, heads.length, 2, 3, true);
      const agreement =
        rule === 'art278_special'
          ? reaches(forArea, partArea, 3, 4, true) && reaches(forHeads, partHeads, 3, 4, true)
          : reaches(forArea, partArea, 1, 2, false) && reaches(forHeads, partHeads, 1, 2, false);
      return { ...base, participation: took, agreement, passed: took && agreement };
    }
    case 'simple_majority':
    case 'two_thirds': {
      const decisive = forUnits + againstUnits;
      const agreement = decisive > 0 && (rule === 'two_thirds' ? 3 * forUnits >= 2 * decisive : 2 * forUnits > decisive);
      return { ...base, participation: null, agreement, passed: agreement };
    }
  }
}

// ---------------------------------------------------------------------------------------------

const AGREEMENT_CHECKS = ['unanimous', 'area_for', 'heads_for', 'ballots', 'majority'];

describe(`the rule functions agree with an independent reading of the law on ${CASES} random electorates (seed ${SEED})`, () => {
  it('agree on totals, participation, agreement and verdict under every rule', () => {
    const random = seededRandom(SEED);
    const seen = {
      passed: 0,
      failed: 0,
      splitOwners: 0,
      developerUnits: 0,
      zeroArea: 0,
      sharedCoOwner: 0,
      multiUnitBuyers: 0,
      abstentions: 0,
      nonVoters: 0,
    };
    for (let k = 0; k < CASES; k++) {
      const c = randomCase(random);
      const totals = electorateTotals(c.units);
      const t = tally(c.units, c.ballots);
      for (const rule of RULE_IDS) {
        const d = decide(rule, totals, t);
        const expected = reference(rule, c);
        const actual: Verdict = {
          totals,
          participating: t.participating,
          forHeads: t.for.heads,
          participation: d.participationMet,
          agreement: totals.households > 0 && d.checks.filter((x) => AGREEMENT_CHECKS.includes(x.id)).every((x) => x.met),
          passed: d.passed,
        };
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          // Only built on a difference: this loop runs 100,000 times.
          expect({ seed: SEED, case: k, rule, units: c.units, ballots: Object.fromEntries(c.ballots), actual }).toEqual({
            seed: SEED,
            case: k,
            rule,
            units: c.units,
            ballots: Object.fromEntries(c.ballots),
            actual: expected,
          });
        }
        if (d.passed) seen.passed++;
        else seen.failed++;
      }
      // What the cases covered, so a generator that stopped producing a kind of case is noticed.
      const heads = new Map<string, Set<Choice>>();
      for (const u of c.units) {
        const key = u.developerHeld ? 'dev' : u.ownerIds.length ? [...new Set(u.ownerIds)].sort().join() : u.id;
        const b = c.ballots.get(u.id);
        if (!heads.has(key)) heads.set(key, new Set());
        if (b) heads.get(key)!.add(b);
      }
      if ([...heads.values()].some((s) => s.size > 1)) seen.splitOwners++;
      if (c.units.some((u) => u.developerHeld)) seen.developerUnits++;
      if (c.units.length > 0 && totals.areaCentiM2 === 0) seen.zeroArea++;
      if (heads.size < c.units.length - c.units.filter((u) => u.developerHeld).length) seen.multiUnitBuyers++;
      const owners = c.units.filter((u) => !u.developerHeld).map((u) => new Set(u.ownerIds));
      if (owners.some((a, i) => owners.some((b, j) => i !== j && [...a].some((o) => b.has(o)) && !sameOwners([...a], [...b]))))
        seen.sharedCoOwner++;
      if ([...c.ballots.values()].includes('abstain')) seen.abstentions++;
      if (c.ballots.size < c.units.length) seen.nonVoters++;
    }
    for (const [what, n] of Object.entries(seen)) expect([what, n > CASES / 50]).toEqual([what, true]);
  });

  it('replays: the same seed gives the same electorates', () => {
    const a = seededRandom(SEED);
    const b = seededRandom(SEED);
    expect(JSON.stringify(Array.from({ length: 50 }, () => randomCase(a)).map((c) => [c.units, [...c.ballots]]))).toBe(
      JSON.stringify(Array.from({ length: 50 }, () => randomCase(b)).map((c) => [c.units, [...c.ballots]])),
    );
  });
});
