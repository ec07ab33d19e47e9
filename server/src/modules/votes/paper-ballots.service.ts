import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type answerDisputeSchema,
  type BallotReceipt,
  type disputePaperSchema,
  type IssuedPaper,
  PAPER_CODE_LENGTH,
  type paperBallotSchema,
  type PaperDisputeView,
  type PaperHouseholdView,
  type PaperSigner,
} from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import type { CompoundAccess } from '../memberships/compound-access';
import { AuditService } from '../audit/audit.service';
import type { PaperPrint } from './ballot-paper-pdf';
import { BallotBatcher } from './ballot-batcher';
import { PaperPhotos } from './paper-photos';
import { type Elector, RoundFactsService } from './round-facts.service';
import { RoundQueriesService } from './round-queries.service';

/** Crockford's base32: no I, L, O or U. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Wrong codes one person may type for one round within WRONG_CODE_WINDOW before being stopped. */
export const WRONG_CODE_LIMIT = 5;
const WRONG_CODE_WINDOW = '15 minutes';

/** The stored form of a code: bound to its round and household, so a code is worth nothing elsewhere. */
export const codeHash = (roundId: string, householdId: string, code: string): string =>
  createHash('sha256').update(`yishi:paper:v1:${roundId}:${householdId}:${code}`).digest('hex');

const newCode = (): string => Array.from({ length: PAPER_CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** A paper_dispute row with its round's number, proposal and electorate and the names of who raised and answered it. */
interface DisputeRow {
  id: string;
  round_id: string;
  round_number: number;
  proposal_id: string;
  household_id: string;
  electorate: Elector[];
  raised_by_name: string;
  reason: string;
  raised_at: Date;
  answer: string | null;
  answered_by_name: string | null;
  answered_at: Date | null;
}

interface HouseholdFacts {
  id: string;
  signers: PaperSigner[];
  /** The user behind each signer (an owner may have no account). */
  userOf: Map<string, string | null>;
}

/**
 * Paper ballots that can be trusted. A ballot paper is printed per household and round with a
 * one-time code (kept only as a hash; a reprint replaces the code and voids the earlier paper,
 * and each printing is in the audit chain). Entering a paper ballot needs that household's
 * unused code, a photo of the signed paper and the signer, who must be on the record for the
 * household; the code is consumed in the ballot's own transaction. Wrong codes are counted and
 * stopped after a few. Units held by the developer and households with nobody on the record get
 * no paper. After the round, the household can dispute the entry; the chair answers on the record.
 */
@Injectable()
export class PaperBallotsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly facts: RoundFactsService,
    private readonly queries: RoundQueriesService,
    private readonly batcher: BallotBatcher,
    private readonly audit: AuditService,
    private readonly photos: PaperPhotos,
  ) {}

  /** The round's households that the caller prints and enters papers for (the chair: all; a gate leader: their gates). */
  async households(access: CompoundAccess, roundId: string): Promise<PaperHouseholdView[]> {
    const facts = await this.roundIn(access, roundId);
    const mine = facts.electorate.filter((h) => this.mayActFor(access, h));
    const signers = await this.signers(
      this.db.manager,
      mine.map((h) => h.id),
    );
    const codes: Array<{ household_id: string; issue: number; used: boolean }> = await this.db.query(
      `SELECT household_id, issue, used_at IS NOT NULL AS used FROM ballot_code WHERE round_id = $1`,
      [roundId],
    );
    const ballots: Array<{ household_id: string; assisted: boolean }> = await this.db.query(
      `SELECT household_id, assisted FROM ballot WHERE round_id = $1`,
      [roundId],
    );
    const codeOf = new Map(codes.map((c) => [c.household_id, c]));
    const ballotOf = new Map(ballots.map((b) => [b.household_id, b.assisted]));
    return mine
      .map((h) => {
        const s = signers.get(h.id)!;
        const b = ballotOf.get(h.id);
        return {
          householdId: h.id,
          label: h.label,
          gateId: h.gateId,
          refused: refusal(h, s),
          signers: s.signers,
          issues: codeOf.get(h.id)?.issue ?? 0,
          used: codeOf.get(h.id)?.used ?? false,
          ballot: b === undefined ? null : b ? ('paper' as const) : ('online' as const),
        };
      })
      .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN', { numeric: true }));
  }

  /**
   * Prints papers: a fresh code for each household (all or none: one household that may not
   * have a paper refuses the whole request, naming it), each printing chained in the audit log.
   */
  async issue(
    access: CompoundAccess,
    userId: string,
    roundId: string,
    householdIds: string[],
  ): Promise<{ papers: IssuedPaper[]; print: PaperPrint[] }> {
    const facts = await this.roundIn(access, roundId);
    const round = await this.queries.view(roundId);
    if (round.status !== 'open') throw new AppError('ROUND_CLOSED');
    const ids = [...new Set(householdIds)];
    const electors = ids.map((id, i) => {
      const h = facts.byId.get(id);
      if (!h)
        throw new AppError('NOT_ELIGIBLE', {
          message: 'this household does not vote in this round',
          fields: [{ path: `householdIds.${i}`, message: 'not in this round' }],
        });
      if (!this.mayActFor(access, h))
        throw new AppError('OUTSIDE_YOUR_GATE', { fields: [{ path: `householdIds.${i}`, message: h.label }] });
      return h;
    });
    return this.db.transaction(async (m) => {
      const signers = await this.signers(m, ids);
      electors.forEach((h, i) => {
        const why = refusal(h, signers.get(h.id)!);
        if (why) throw new AppError(why, { fields: [{ path: `householdIds.${i}`, message: h.label }] });
      });
      const issued = electors.map((h) => ({ h, code: newCode() }));
      const rows: Array<{ household_id: string; issue: number }> = await m.query(
        `INSERT INTO ballot_code (round_id, household_id, code_hash, issue, issued_by)
         SELECT $1, h, k, 1, $4 FROM unnest($2::uuid[], $3::text[]) AS t(h, k)
         ON CONFLICT (round_id, household_id) DO UPDATE SET code_hash = excluded.code_hash, issue = ballot_code.issue + 1,
           issued_by = excluded.issued_by, issued_at = now(), used_at = NULL, used_by = NULL
         RETURNING household_id, issue`,
        [roundId, ids, issued.map(({ h, code }) => codeHash(roundId, h.id, code)), userId],
      );
      const issueOf = new Map(rows.map((r) => [r.household_id, r.issue]));
      await this.audit.append(
        m,
        facts.proposalId,
        electors.map((h) => ({
          kind: 'paper.issued' as const,
          roundId,
          body: { round: roundId, household: h.id, issue: issueOf.get(h.id)!, issuedBy: userId },
        })),
      );
      const printed = issued.map(({ h, code }) => {
        const paper = { householdId: h.id, label: h.label, code, issue: issueOf.get(h.id)! };
        return {
          paper,
          print: {
            ...paper,
            areaCentiM2: h.areaCentiM2,
            owners: signers
              .get(h.id)!
              .signers.filter((s) => s.as === 'owner')
              .map((s) => s.name),
          },
        };
      });
      return { papers: printed.map((p) => p.paper), print: printed.map((p) => p.print) };
    });
  }

  /**
   * Enters a ballot handed in on paper. Every check that needs no photo runs first, and a wrong
   * code is counted before the photo is decoded; the code is consumed with the ballot.
   */
  async enter(
    access: CompoundAccess,
    userId: string,
    roundId: string,
    req: z.output<typeof paperBallotSchema>,
    upload: { path: string; size: number },
  ): Promise<BallotReceipt> {
    const facts = await this.roundIn(access, roundId);
    const h = facts.byId.get(req.householdId);
    if (!h) throw new AppError('NOT_ELIGIBLE', { message: 'this household does not vote in this round' });
    if (!this.mayActFor(access, h)) throw new AppError('OUTSIDE_YOUR_GATE');
    const signers = (await this.signers(this.db.manager, [h.id])).get(h.id)!;
    const why = refusal(h, signers);
    if (why) throw new AppError(why);
    const signer = signers.signers.find((s) => s.id === req.signerId);
    if (!signer)
      throw new AppError('PAPER_SIGNER_UNKNOWN', { fields: [{ path: 'signerId', message: 'not on the record for this household' }] });

    const [{ n: wrong }] = await this.db.query(
      `SELECT count(*)::int AS n FROM ballot_code_failure WHERE user_id = $1 AND round_id = $2 AND at > now() - interval '${WRONG_CODE_WINDOW}'`,
      [userId, roundId],
    );
    if (wrong >= WRONG_CODE_LIMIT)
      throw new AppError('RATE_LIMITED', { message: `${WRONG_CODE_LIMIT} wrong ballot codes; wait a quarter of an hour` });
    const hash = codeHash(roundId, h.id, req.code);
    const [stored] = await this.db.query(`SELECT code_hash, used_at FROM ballot_code WHERE round_id = $1 AND household_id = $2`, [
      roundId,
      h.id,
    ]);
    const matches = !!stored && timingSafeEqual(Buffer.from(stored.code_hash), Buffer.from(hash));
    if (!matches || stored.used_at) {
      // Counted outside any transaction: the refusal writes nothing else. Attempts older than the window no longer matter.
      await this.db.query(
        `WITH old AS (DELETE FROM ballot_code_failure WHERE user_id = $1 AND round_id = $2 AND at <= now() - interval '${WRONG_CODE_WINDOW}')
         INSERT INTO ballot_code_failure (user_id, round_id) VALUES ($1, $2)`,
        [userId, roundId],
      );
      throw new AppError(matches ? 'PAPER_CODE_USED' : 'PAPER_CODE_WRONG', {
        fields: [{ path: 'code', message: matches ? 'already used' : 'not the code printed for this household' }],
      });
    }

    const photo = await this.photos.normalise(upload.path, upload.size);
    const sha256 = createHash('sha256').update(photo.bytes).digest('hex');
    const [paper] = await this.db.query(
      `INSERT INTO ballot_paper (round_id, household_id, content_type, bytes, sha256, uploaded_by, signer_name, signer_as, original_bytes, width, height)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        roundId,
        h.id,
        photo.contentType,
        photo.bytes,
        sha256,
        userId,
        signer.name,
        signer.as,
        photo.originalBytes,
        photo.width,
        photo.height,
      ],
    );
    try {
      const receipt = await this.batcher.cast({
        roundId,
        ballotId: req.ballotId,
        householdId: h.id,
        revisionId: req.revisionId,
        choice: req.choice,
        reason: req.reason,
        voterUserId: signers.userOf.get(signer.id) ?? null,
        recordedBy: userId,
        viaProxy: signer.as === 'proxy',
        assisted: true,
        paper: { id: paper.id, sha256, signer: signer.name },
        codeHash: hash,
      });
      // A repeated request (same ballot id) was answered from the first one, which keeps its own photo.
      await this.db.query(
        `DELETE FROM ballot_paper p WHERE p.id = $1 AND NOT EXISTS (SELECT 1 FROM ballot_cast c WHERE c.paper_id = p.id)`,
        [paper.id],
      );
      return receipt;
    } catch (err) {
      await this.db.query(`DELETE FROM ballot_paper WHERE id = $1`, [paper.id]);
      throw err;
    }
  }

  /** The photo of a paper: for the chair, the household's gate leader, and the household itself. */
  async photo(access: CompoundAccess, userId: string, roundId: string, paperId: string): Promise<{ contentType: string; bytes: Buffer }> {
    const facts = await this.roundIn(access, roundId);
    const [p] = await this.db.query(`SELECT household_id, content_type, bytes FROM ballot_paper WHERE id = $1 AND round_id = $2`, [
      paperId,
      roundId,
    ]);
    const h = p && facts.byId.get(p.household_id);
    if (!h) throw new AppError('NOT_FOUND');
    if (!this.mayActFor(access, h) && !(await this.householdsOf(access, userId)).has(h.id)) throw new AppError('FORBIDDEN');
    return { contentType: p.content_type, bytes: p.bytes };
  }

  /** Who may see the photos of which households in a roll-call. */
  async photoViewer(access: CompoundAccess, userId: string): Promise<(h: Elector) => boolean> {
    const own = await this.householdsOf(access, userId);
    return (h) => this.mayActFor(access, h) || own.has(h.id);
  }

  /** A household disputes the paper ballot entered in its name: audited, shown to the chair until answered. */
  async dispute(
    access: CompoundAccess,
    userId: string,
    roundId: string,
    req: z.output<typeof disputePaperSchema>,
  ): Promise<PaperDisputeView> {
    const facts = await this.roundIn(access, roundId);
    if (!facts.byId.has(req.householdId)) throw new AppError('NOT_FOUND');
    if (!(await this.householdsOf(access, userId)).has(req.householdId)) throw new AppError('NOT_YOUR_HOUSEHOLD');
    const id = await this.db.transaction(async (m) => {
      const [b] = await m.query(`SELECT paper_id FROM ballot WHERE round_id = $1 AND household_id = $2 AND assisted FOR UPDATE`, [
        roundId,
        req.householdId,
      ]);
      if (!b) throw new AppError('NOT_FOUND', { message: 'no paper ballot was entered for this household in this round' });
      const [entry] = await this.audit.append(m, facts.proposalId, [
        {
          kind: 'paper.disputed',
          roundId,
          body: { round: roundId, household: req.householdId, paper: b.paper_id, raisedBy: userId, reason: req.reason },
        },
      ]);
      const [row] = await m.query(
        `INSERT INTO paper_dispute (round_id, household_id, paper_id, raised_by, reason, audit_hash) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [roundId, req.householdId, b.paper_id, userId, req.reason, entry.hash],
      );
      return row.id as string;
    });
    const [view] = await this.disputes({ id });
    if (!view) throw new Error('the dispute just raised could not be read back');
    return view;
  }

  /** The chair answers a dispute, once, on the record. */
  async answer(
    access: CompoundAccess,
    userId: string,
    roundId: string,
    disputeId: string,
    req: z.output<typeof answerDisputeSchema>,
  ): Promise<PaperDisputeView> {
    const facts = await this.roundIn(access, roundId);
    await this.db.transaction(async (m) => {
      const [d] = await m.query(`SELECT household_id, answered_at FROM paper_dispute WHERE id = $1 AND round_id = $2 FOR UPDATE`, [
        disputeId,
        roundId,
      ]);
      if (!d) throw new AppError('NOT_FOUND');
      if (d.answered_at) throw new AppError('DISPUTE_ANSWERED');
      const [entry] = await this.audit.append(m, facts.proposalId, [
        {
          kind: 'paper.dispute_answered',
          roundId,
          body: { round: roundId, dispute: disputeId, household: d.household_id, answeredBy: userId, answer: req.answer },
        },
      ]);
      await m.query(`UPDATE paper_dispute SET answered_by = $2, answer = $3, answered_at = now(), answer_hash = $4 WHERE id = $1`, [
        disputeId,
        userId,
        req.answer,
        entry.hash,
      ]);
    });
    const [view] = await this.disputes({ id: disputeId });
    if (!view) throw new Error('the dispute just answered could not be read back');
    return view;
  }

  /** Disputes of a round (the chair and gate leaders see all, others their own household's), or the compound's unanswered ones. */
  async list(access: CompoundAccess, userId: string, where: { roundId: string } | { open: true }): Promise<PaperDisputeView[]> {
    if ('roundId' in where) await this.roundIn(access, where.roundId);
    const all = await this.disputes('roundId' in where ? { roundId: where.roundId } : { compoundId: access.compoundId, open: true });
    if (access.roles.includes('chair') || access.roles.includes('gate_leader')) return all;
    const own = await this.householdsOf(access, userId);
    return all.filter((d) => own.has(d.householdId));
  }

  private async disputes(where: { id: string } | { roundId: string } | { compoundId: string; open: true }): Promise<PaperDisputeView[]> {
    const [cond, param] =
      'id' in where
        ? ['d.id = $1', where.id]
        : 'roundId' in where
          ? ['d.round_id = $1', where.roundId]
          : ['r.compound_id = $1 AND d.answered_at IS NULL', where.compoundId];
    const rows: DisputeRow[] = await this.db.query(
      `SELECT d.*, r.number AS round_number, r.proposal_id, r.electorate, ru.display_name AS raised_by_name, au.display_name AS answered_by_name
       FROM paper_dispute d JOIN vote_round r ON r.id = d.round_id JOIN app_user ru ON ru.id = d.raised_by LEFT JOIN app_user au ON au.id = d.answered_by
       WHERE ${cond} ORDER BY d.raised_at`,
      [param],
    );
    return rows.map((d) => ({
      id: d.id,
      roundId: d.round_id,
      roundNumber: d.round_number,
      proposalId: d.proposal_id,
      householdId: d.household_id,
      label: d.electorate.find((e) => e.id === d.household_id)?.label ?? '',
      raisedByName: d.raised_by_name,
      reason: d.reason,
      raisedAt: d.raised_at.toISOString(),
      answer: d.answer,
      answeredByName: d.answered_by_name,
      answeredAt: d.answered_at?.toISOString() ?? null,
    }));
  }

  private async roundIn(access: CompoundAccess, roundId: string) {
    const facts = await this.facts.get(roundId).catch(() => null);
    if (!facts || facts.compoundId !== access.compoundId) throw new AppError('NOT_FOUND');
    return facts;
  }

  /** The chair acts for every household, a gate leader for those of their own gates. */
  private mayActFor(access: CompoundAccess, h: Elector): boolean {
    if (access.roles.includes('chair')) return true;
    return access.memberships.some((m) => m.role === 'gate_leader' && m.gateId !== null && m.gateId === h.gateId);
  }

  /** The households the caller speaks for: as a member of it, its designated voter, its proxy, or a registered owner. */
  private async householdsOf(access: CompoundAccess, userId: string): Promise<Set<string>> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT h.id FROM household h WHERE h.compound_id = $1 AND (h.voter_user_id = $2 OR h.proxy_user_id = $2
         OR EXISTS (SELECT 1 FROM household_owner ho JOIN owner o ON o.id = ho.owner_id WHERE ho.household_id = h.id AND o.user_id = $2))`,
      [access.compoundId, userId],
    );
    const own = new Set(rows.map((r) => r.id));
    for (const m of access.memberships) if (m.householdId) own.add(m.householdId);
    return own;
  }

  /** Who is on the record for each household: its registered owners, designated voter and registered proxy. */
  private async signers(m: EntityManager, householdIds: string[]): Promise<Map<string, HouseholdFacts>> {
    const rows: Array<{ household_id: string; id: string; name: string; as: PaperSigner['as']; user_id: string | null }> = await m.query(
      `SELECT ho.household_id, o.id, o.name, 'owner' AS as, o.user_id FROM household_owner ho JOIN owner o ON o.id = ho.owner_id WHERE ho.household_id = ANY($1)
       UNION ALL SELECT h.id, u.id, u.display_name, 'voter', u.id FROM household h JOIN app_user u ON u.id = h.voter_user_id WHERE h.id = ANY($1)
       UNION ALL SELECT h.id, u.id, u.display_name, 'proxy', u.id FROM household h JOIN app_user u ON u.id = h.proxy_user_id WHERE h.id = ANY($1)`,
      [householdIds],
    );
    const out = new Map<string, HouseholdFacts>(householdIds.map((id) => [id, { id, signers: [], userOf: new Map() }]));
    const order = { owner: 0, voter: 1, proxy: 2 };
    for (const r of rows.sort((a, b) => order[a.as] - order[b.as] || a.name.localeCompare(b.name, 'zh-CN'))) {
      const f = out.get(r.household_id)!;
      // The designated voter who is also a registered owner signs as that owner.
      if (r.as === 'voter' && rows.some((o) => o.household_id === r.household_id && o.as === 'owner' && o.user_id === r.id)) continue;
      f.signers.push({ id: r.id, name: r.name, as: r.as });
      f.userOf.set(r.id, r.user_id);
    }
    return out;
  }
}

/** Why a household gets no ballot paper: the developer votes its units online; nobody on the record could sign. */
function refusal(h: Elector, f: HouseholdFacts): PaperHouseholdView['refused'] {
  if (h.developerHeld) return 'PAPER_DEVELOPER_HELD';
  if (f.signers.length === 0) return 'PAPER_NO_VOTER';
  return null;
}
