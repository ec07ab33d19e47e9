import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type changeDemandStatusSchema,
  type createDemandSchema,
  type DemandDetailView,
  demandMoveAllowed,
  type DemandStatus,
  type secondDemandSchema,
} from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import type { CompoundAccess } from '../memberships/compound-access';
import { PaperPhotos } from '../votes/paper-photos';
import { DemandQueriesService } from './demand-queries.service';
import { storeListPhoto } from './list-photos';

/** A demand keeps at most this many photos. */
const MAX_PHOTOS = 6;

const fieldError = (path: string, message: string) => new AppError('VALIDATION_FAILED', { fields: [{ path, message }] });

/** Recording demands, seconding them, moving them along their statuses, and their photos. */
@Injectable()
export class DemandsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queries: DemandQueriesService,
    private readonly photos: PaperPhotos,
    private readonly events: DomainEvents,
  ) {}

  /**
   * Records a demand and its first history entry together. Sent again with the same
   * `clientKey` (an offline entry whose answer was lost), it returns the demand recorded the first time.
   */
  async create(
    access: CompoundAccess,
    userId: string,
    req: z.output<typeof createDemandSchema>,
  ): Promise<{ created: boolean; demand: DemandDetailView }> {
    const { compoundId } = access;
    const result = await this.db.transaction(async (m) => {
      if (req.clientKey) {
        const [earlier] = await m.query(`SELECT id, compound_id FROM demand WHERE entered_by = $1 AND client_key = $2`, [
          userId,
          req.clientKey,
        ]);
        if (earlier) {
          if (earlier.compound_id !== compoundId)
            throw new AppError('CONFLICT', { message: 'this entry was already sent for another compound' });
          return { created: false, demand: await this.queries.detail(access, userId, earlier.id, m) };
        }
      }
      await checkPlace(m, compoundId, req.buildingId, req.gateId);
      const who = await this.raiser(m, access, userId, req);
      const [row] = await m.query(
        `INSERT INTO demand (compound_id, scope, building_id, gate_id, category, channel, title, body,
                             raised_by, raised_by_name, household_id, entered_by, named_consent, client_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (entered_by, client_key) DO NOTHING RETURNING id`,
        [
          compoundId,
          req.scope,
          req.buildingId ?? null,
          req.gateId ?? null,
          req.category,
          req.channel,
          req.title,
          req.body,
          who.raisedBy,
          who.name,
          who.householdId,
          userId,
          req.namedConsent,
          req.clientKey ?? null,
        ],
      );
      // The same entry sent twice at once: the other request recorded it.
      if (!row) throw new AppError('CONFLICT', { message: 'this entry is being recorded; send it again to see it' });
      await m.query(`INSERT INTO demand_status_change (demand_id, to_status, changed_by) VALUES ($1, 'new', $2)`, [row.id, userId]);
      return { created: true, demand: await this.queries.detail(access, userId, row.id, m) };
    });
    if (result.created) this.changed(compoundId, result.demand.id);
    return result;
  }

  /** Who raised it: the caller, or (for a gate leader or the chair) the person named in `onBehalf`. */
  private async raiser(
    m: EntityManager,
    access: CompoundAccess,
    userId: string,
    req: z.output<typeof createDemandSchema>,
  ): Promise<{ raisedBy: string | null; name: string | null; householdId: string | null }> {
    if (!req.onBehalf) {
      const own = access.memberships.find((x) => x.householdId)?.householdId ?? null;
      return { raisedBy: userId, name: null, householdId: own };
    }
    const isChair = access.roles.includes('chair');
    if (!isChair && !access.roles.includes('gate_leader'))
      throw new AppError('FORBIDDEN', { message: 'only a gate leader or the chair enters needs for others' });
    const householdId = req.onBehalf.householdId ?? null;
    if (householdId) {
      const [h] = await m.query(`SELECT gate_id FROM household WHERE id = $1 AND compound_id = $2`, [householdId, access.compoundId]);
      if (!h) throw fieldError('onBehalf.householdId', 'no such household in this compound');
      const gates = access.memberships.filter((x) => x.role === 'gate_leader').map((x) => x.gateId);
      if (!isChair && !gates.includes(h.gate_id)) throw new AppError('OUTSIDE_YOUR_GATE');
    }
    return { raisedBy: null, name: req.onBehalf.name ?? null, householdId };
  }

  /** 附议, once per person; not one's own demand, nor one that is closed. */
  async second(access: CompoundAccess, userId: string, id: string, req: z.output<typeof secondDemandSchema>): Promise<DemandDetailView> {
    const view = await this.db.transaction(async (m) => {
      const d = await this.lock(m, access.compoundId, id);
      if (d.raised_by === userId) throw new AppError('DEMAND_OWN');
      if (d.status === 'done' || d.status === 'declined') throw new AppError('DEMAND_CLOSED');
      const added = await m.query(
        `INSERT INTO demand_second (demand_id, user_id, named_consent) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING user_id`,
        [id, userId, req.namedConsent],
      );
      if (added.length === 0) throw new AppError('ALREADY_SECONDED');
      await m.query(`UPDATE demand SET seconds = seconds + 1 WHERE id = $1`, [id]);
      return this.queries.detail(access, userId, id, m);
    });
    this.changed(access.compoundId, id);
    return view;
  }

  /** Moves a demand along an allowed transition and records who moved it, when, and why. */
  async changeStatus(
    access: CompoundAccess,
    userId: string,
    id: string,
    req: z.output<typeof changeDemandStatusSchema>,
  ): Promise<DemandDetailView> {
    const view = await this.db.transaction(async (m) => {
      const d = await this.lock(m, access.compoundId, id);
      if (!demandMoveAllowed(d.status, req.to)) {
        throw new AppError('DEMAND_TRANSITION', {
          message: `a demand cannot move from ${d.status} to ${req.to}`,
          details: { from: d.status, to: req.to },
        });
      }
      const reason = req.to === 'declined' ? req.reason! : null;
      await m.query(`UPDATE demand SET status = $2, decline_reason = $3, updated_at = now() WHERE id = $1`, [id, req.to, reason]);
      await m.query(`INSERT INTO demand_status_change (demand_id, from_status, to_status, note, changed_by) VALUES ($1, $2, $3, $4, $5)`, [
        id,
        d.status,
        req.to,
        reason ?? req.note ?? null,
        userId,
      ]);
      return this.queries.detail(access, userId, id, m);
    });
    this.changed(access.compoundId, id);
    return view;
  }

  /** Adds a photo (already normalised) to a demand: by whoever entered it, or the chair. */
  async addPhoto(access: CompoundAccess, userId: string, id: string, file: { path: string; size: number }): Promise<DemandDetailView> {
    // Checked before the photo is decoded, and again under the lock when it is stored.
    const d = await this.lock(this.db.manager, access.compoundId, id, false);
    if (d.entered_by !== userId && !access.roles.includes('chair'))
      throw new AppError('FORBIDDEN', { message: 'only who entered the demand adds its photos' });
    if (d.status === 'done' || d.status === 'declined') throw new AppError('DEMAND_CLOSED');
    const photo = await this.photos.normalise(file.path, file.size);
    await this.db.transaction(async (m) => {
      await this.lock(m, access.compoundId, id);
      await storeListPhoto(m, 'demand', id, photo, userId, MAX_PHOTOS);
      await m.query(`UPDATE demand SET updated_at = now() WHERE id = $1`, [id]);
    });
    this.changed(access.compoundId, id);
    return this.queries.detail(access, userId, id);
  }

  async photo(access: CompoundAccess, id: string, photoId: string): Promise<Buffer> {
    const [p] = await this.db.query(
      `SELECT p.bytes FROM demand_photo p JOIN demand d ON d.id = p.demand_id WHERE p.id = $1 AND d.id = $2 AND d.compound_id = $3`,
      [photoId, id, access.compoundId],
    );
    if (!p) throw new AppError('NOT_FOUND');
    return p.bytes;
  }

  /** After the commit: whoever has the compound's lists open loads the demand again. */
  private changed(compoundId: string, demandId: string): void {
    this.events.emit('lists.changed', { compoundId, demandIds: [demandId], projectIds: [] });
  }

  /** The demand row, locked for the rest of the transaction (unless `forUpdate` is false); 404 when it is not the compound's. */
  private async lock(
    m: EntityManager,
    compoundId: string,
    id: string,
    forUpdate = true,
  ): Promise<{ status: DemandStatus; raised_by: string | null; entered_by: string }> {
    const lock = forUpdate ? 'FOR UPDATE' : '';
    const [d] = await m.query(`SELECT status, raised_by, entered_by FROM demand WHERE id = $1 AND compound_id = $2 ${lock}`, [
      id,
      compoundId,
    ]);
    if (!d) throw new AppError('NOT_FOUND');
    return d;
  }
}

/** The building and gate named must be the compound's, and the gate the building's. */
async function checkPlace(m: EntityManager, compoundId: string, buildingId?: string, gateId?: string): Promise<void> {
  if (buildingId) {
    const [b] = await m.query(`SELECT 1 FROM building WHERE id = $1 AND compound_id = $2`, [buildingId, compoundId]);
    if (!b) throw fieldError('buildingId', 'no such building in this compound');
  }
  if (gateId) {
    const [g] = await m.query(`SELECT 1 FROM building_gate WHERE id = $1 AND building_id = $2`, [gateId, buildingId]);
    if (!g) throw fieldError('gateId', 'no such gate in this building');
  }
}
