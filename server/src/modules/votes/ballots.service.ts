import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { assistedBallotSchema, BallotReceipt, castBallotSchema, VerifyReport } from '@yishi/shared';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import type { CompoundAccess } from '../auth/access.decorators';
import { verifyRound } from './verify-round';
import { VotesService } from './votes.service';

/** What a photo of paper may be, by its first bytes (the declared type is not trusted). */
function imageType(bytes: Buffer): string | null {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length > 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/** Ballots as people hand them in: online by the voter or proxy, or on paper through a gate leader or the chair. */
@Injectable()
export class BallotsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly votes: VotesService,
  ) {}

  /** A ballot cast online by the household's designated voter or registered proxy. */
  async castOnline(userId: string, compoundId: string, req: z.output<typeof castBallotSchema>): Promise<BallotReceipt> {
    const facts = await this.votes.roundFacts(req.roundId);
    if (facts.compoundId !== compoundId) throw new AppError('NOT_FOUND');
    return this.votes.cast({ ...req, voterUserId: userId, recordedBy: userId, viaProxy: false, assisted: false });
  }

  /**
   * A ballot handed in on paper, entered by the chair or the household's gate leader with a photo
   * of the paper. It counts as the household's ballot and is flagged as assisted everywhere.
   */
  async recordAssisted(access: CompoundAccess, userId: string, roundId: string, req: z.output<typeof assistedBallotSchema>, photo: Buffer): Promise<BallotReceipt> {
    const facts = await this.votes.roundFacts(roundId).catch(() => null);
    if (!facts || facts.compoundId !== access.compoundId) throw new AppError('NOT_FOUND');
    const household = facts.byId.get(req.householdId);
    if (!household) throw new AppError('NOT_ELIGIBLE', { message: 'this household does not vote in this round' });
    if (!access.roles.includes('chair')) {
      const gates = access.memberships.filter((m) => m.role === 'gate_leader').map((m) => m.gateId);
      if (!gates.includes(household.gateId)) throw new AppError('OUTSIDE_YOUR_GATE');
    }
    const contentType = imageType(photo);
    if (!contentType) throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'photo', message: 'must be a JPEG, PNG or WebP image' }] });
    const sha256 = createHash('sha256').update(photo).digest('hex');
    const [{ voter_user_id: voter }] = await this.db.query(`SELECT voter_user_id FROM household WHERE id = $1`, [req.householdId]);
    const [paper] = await this.db.query(
      `INSERT INTO ballot_paper (round_id, household_id, content_type, bytes, sha256, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [roundId, req.householdId, contentType, photo, sha256, userId],
    );
    try {
      const receipt = await this.votes.cast({
        roundId,
        ballotId: req.ballotId,
        householdId: req.householdId,
        revisionId: req.revisionId,
        choice: req.choice,
        reason: req.reason,
        voterUserId: voter,
        recordedBy: userId,
        viaProxy: req.viaProxy,
        assisted: true,
        paper: { id: paper.id, sha256 },
      });
      // A repeated request (same ballot id) was answered from the first one, which keeps its own photo.
      await this.db.query(`DELETE FROM ballot_paper p WHERE p.id = $1 AND NOT EXISTS (SELECT 1 FROM ballot_cast c WHERE c.paper_id = p.id)`, [paper.id]);
      return receipt;
    } catch (err) {
      await this.db.query(`DELETE FROM ballot_paper WHERE id = $1`, [paper.id]);
      throw err;
    }
  }

  async paper(compoundId: string, roundId: string, paperId: string): Promise<{ contentType: string; bytes: Buffer }> {
    const [p] = await this.db.query(
      `SELECT p.content_type, p.bytes FROM ballot_paper p JOIN vote_round r ON r.id = p.round_id WHERE p.id = $1 AND p.round_id = $2 AND r.compound_id = $3`,
      [paperId, roundId, compoundId],
    );
    if (!p) throw new AppError('NOT_FOUND');
    return { contentType: p.content_type, bytes: p.bytes };
  }

  verify(roundId: string): Promise<VerifyReport> {
    return verifyRound((sql, params) => this.db.query(sql, params), roundId);
  }
}
