import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { BuildingsRequest, BuildingView, CompoundView, HouseholdView, Role } from '@yishi/shared';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { AppError } from '../../infra/errors/app-error';
import { Organisation } from '../organisations/organisation.entities';
import { User } from '../users/user.entity';
import { toUserSummary } from '../users/user.view';
import { Building, BuildingGate, Community, Compound, Household } from './compound.entities';

/** The compound itself: its buildings, gates, households and organisations. */
@Injectable()
export class CompoundsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async view(compoundId: string, myRoles: Role[]): Promise<CompoundView> {
    const m = this.db.manager;
    const compound = await m.findOneBy(Compound, { id: compoundId });
    if (!compound) throw new AppError('NOT_FOUND');
    const community = await m.findOneByOrFail(Community, { id: compound.communityId });
    const [totals] = await m.query(
      `SELECT count(*)::int AS n, coalesce(sum(area_centi_m2), 0)::bigint AS area FROM household WHERE compound_id = $1`,
      [compoundId],
    );
    const organisations = await m.find(Organisation, { where: { communityId: community.id }, order: { kind: 'ASC', name: 'ASC' } });
    return {
      id: compound.id,
      name: compound.name,
      communityId: community.id,
      communityName: community.name,
      buildings: await this.buildings(m, compoundId),
      organisations: organisations.map((o) => ({ id: o.id, kind: o.kind, name: o.name, partnerType: o.partnerType })),
      householdCount: totals.n,
      totalAreaCentiM2: Number(totals.area),
      myRoles,
    };
  }

  /** Declares buildings and their gates; ones that already exist are kept as they are. */
  async declareBuildings(compoundId: string, req: BuildingsRequest): Promise<BuildingView[]> {
    return this.db.transaction(async (m) => {
      for (const [i, b] of req.buildings.entries()) {
        await m.query(`INSERT INTO building (compound_id, name, sort) VALUES ($1, $2, $3) ON CONFLICT (compound_id, name) DO NOTHING`, [
          compoundId,
          b.name,
          i,
        ]);
        const { id } = await m.findOneByOrFail(Building, { compoundId, name: b.name });
        for (const [j, g] of (b.gates ?? []).entries()) {
          await m.query(
            `INSERT INTO building_gate (building_id, name, sort) VALUES ($1, $2, $3) ON CONFLICT (building_id, name) DO NOTHING`,
            [id, g, j],
          );
        }
      }
      return this.buildings(m, compoundId);
    });
  }

  async households(compoundId: string): Promise<HouseholdView[]> {
    const m = this.db.manager;
    const rows: Array<Household & { building_name: string; gate_name: string | null }> = await m
      .createQueryBuilder(Household, 'h')
      .innerJoin(Building, 'b', 'b.id = h.building_id')
      .leftJoin(BuildingGate, 'g', 'g.id = h.gate_id')
      .addSelect(['b.name AS building_name', 'g.name AS gate_name'])
      .where('h.compound_id = :compoundId', { compoundId })
      .orderBy('b.sort')
      .addOrderBy('b.name')
      .addOrderBy('g.sort')
      .addOrderBy('h.unit')
      .getRawAndEntities()
      .then(({ raw, entities }) =>
        entities.map((e, i) => Object.assign(e, { building_name: raw[i].building_name, gate_name: raw[i].gate_name })),
      );
    const owners: Array<{ household_id: string; id: string; name: string; phone: string | null }> = await m.query(
      `SELECT ho.household_id, o.id, o.name, o.phone FROM household_owner ho JOIN owner o ON o.id = ho.owner_id
       WHERE o.compound_id = $1 ORDER BY o.name`,
      [compoundId],
    );
    const userIds = [...new Set(rows.flatMap((r) => [r.voterUserId, r.proxyUserId]).filter((x): x is string => !!x))];
    const users = new Map((await m.findBy(User, { id: In(userIds) })).map((u) => [u.id, toUserSummary(u)]));
    return rows.map((h) => ({
      id: h.id,
      buildingId: h.buildingId,
      buildingName: h.building_name,
      gateId: h.gateId,
      gateName: h.gate_name,
      unit: h.unit,
      label: [h.building_name, h.gate_name, h.unit].filter(Boolean).join(' '),
      areaCentiM2: h.areaCentiM2,
      developerHeld: h.developerHeld,
      owners: owners.filter((o) => o.household_id === h.id).map((o) => ({ id: o.id, name: o.name, phone: o.phone })),
      voter: h.voterUserId ? (users.get(h.voterUserId) ?? null) : null,
      proxy: h.proxyUserId ? (users.get(h.proxyUserId) ?? null) : null,
      proxyNote: h.proxyNote,
    }));
  }

  private async buildings(m: EntityManager, compoundId: string): Promise<BuildingView[]> {
    const buildings = await m.find(Building, { where: { compoundId }, order: { sort: 'ASC', name: 'ASC' } });
    const gates = await m.find(BuildingGate, {
      where: { buildingId: In(buildings.map((b) => b.id)) },
      order: { sort: 'ASC', name: 'ASC' },
    });
    return buildings.map((b) => ({
      id: b.id,
      name: b.name,
      gates: gates.filter((g) => g.buildingId === b.id).map((g) => ({ id: g.id, name: g.name })),
    }));
  }
}
