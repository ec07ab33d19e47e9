import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { BallotReceipt, IssuedPaper, paperBallotSchema, PaperHouseholdView } from '@yishi/shared';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import type { CompoundAccess } from '../memberships/compound-access';
import { AuditService } from '../audit/audit.service';
import type { PaperPrint } from './ballot-paper-pdf';
import { BallotBatcher } from './ballot-batcher';
import { PaperAccess, refusal } from './paper-access.service';
import { codeHash, newCode, WRONG_CODE_LIMIT, WRONG_CODE_WINDOW } from './paper-codes';
import { PaperPhotos } from './paper-photos';
import type { Elector } from './round-facts.service';
import { RoundQueriesService } from './round-queries.service';

/**
 * Paper ballots that can be trusted. A ballot paper is printed per household and round with a
 * one-time code (kept only as a hash; a reprint replaces the code and voids the earlier paper,
 * and each printing is in the audit chain). Entering a paper ballot needs that household's
 * unused code, a photo of the signed paper and the signer, who must be on the record for the
 * household; the code is consumed in the ballot's own transaction. Wrong codes are counted and
 * stopped after a few. Units held by the developer and households with nobody on the record get
 * no paper. Disputes of an entry: PaperDisputesService.
 */
@Injectable()
export class PaperBallotsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly rights: PaperAccess,
    private readonly queries: RoundQueriesService,
    private readonly batcher: BallotBatcher,
    private readonly audit: AuditService,
    private readonly photos: PaperPhotos,
  ) {}

  /** The round's households that the caller prints and enters papers for (the chair: all; a gate leader: their gates). */
  async households(access: CompoundAccess, roundId: string): Promise<PaperHouseholdView[]> {
    const facts = await this.rights.roundIn(access, roundId);
    const mine = facts.electorate.filter((h) => this.rights.mayActFor(access, h));
    const signers = await this.rights.signers(
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
    const facts = await this.rights.roundIn(access, roundId);
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
      if (!this.rights.mayActFor(access, h))
        throw new AppError('OUTSIDE_YOUR_GATE', { fields: [{ path: `householdIds.${i}`, message: h.label }] });
      return h;
    });
    return this.db.transaction(async (m) => {
      const signers = await this.rights.signers(m, ids);
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
    const facts = await this.rights.roundIn(access, roundId);
    const h = facts.byId.get(req.householdId);
    if (!h) throw new AppError('NOT_ELIGIBLE', { message: 'this household does not vote in this round' });
    if (!this.rights.mayActFor(access, h)) throw new AppError('OUTSIDE_YOUR_GATE');
    const signers = (await this.rights.signers(this.db.manager, [h.id])).get(h.id)!;
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
    const facts = await this.rights.roundIn(access, roundId);
    const [p] = await this.db.query(`SELECT household_id, content_type, bytes FROM ballot_paper WHERE id = $1 AND round_id = $2`, [
      paperId,
      roundId,
    ]);
    const h = p && facts.byId.get(p.household_id);
    if (!h) throw new AppError('NOT_FOUND');
    if (!this.rights.mayActFor(access, h) && !(await this.rights.householdsOf(access, userId)).has(h.id)) throw new AppError('FORBIDDEN');
    return { contentType: p.content_type, bytes: p.bytes };
  }

  /** Who may see the photos of which households in a roll-call. */
  async photoViewer(access: CompoundAccess, userId: string): Promise<(h: Elector) => boolean> {
    const own = await this.rights.householdsOf(access, userId);
    return (h) => this.rights.mayActFor(access, h) || own.has(h.id);
  }
}
