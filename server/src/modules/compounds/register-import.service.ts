import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ImportReport } from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../infra/errors/app-error';
import { Building, BuildingGate, Household, HouseholdOwner, Owner } from './compound.entities';
import { decodeRegister, readRegister, type RegisterRow } from './register-csv';

/**
 * Imports a compound's owner register. A dry run reports every bad row and what would change;
 * the real import writes everything in one transaction or nothing. Re-importing updates units in
 * place (matched by building and unit number) and owners by phone number.
 */
@Injectable()
export class RegisterImportService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async import(compoundId: string, file: Buffer, opts: { dryRun: boolean; createBuildings: boolean }): Promise<ImportReport> {
    return this.db
      .transaction(async (m) => {
        // One import at a time per compound: two concurrent imports would race on the same units.
        await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`register:${compoundId}`]);
        const buildings = await m.findBy(Building, { compoundId });
        const gates = await m.query(`SELECT g.* FROM building_gate g JOIN building b ON b.id = g.building_id WHERE b.compound_id = $1`, [
          compoundId,
        ]);
        const known = new Map(
          buildings.map((b) => [
            b.name,
            new Set<string>(gates.filter((g: { building_id: string }) => g.building_id === b.id).map((g: { name: string }) => g.name)),
          ]),
        );

        const { rows, errors } = readRegister(decodeRegister(file), known, opts.createBuildings);
        const report: ImportReport = {
          dryRun: opts.dryRun,
          ok: errors.length === 0,
          rows: rows.length + new Set(errors.map((e) => e.line)).size,
          errors,
          households: { created: 0, updated: 0, unchanged: 0 },
          owners: { created: 0, updated: 0 },
          buildings: { created: 0 },
          gates: { created: 0 },
        };
        if (!report.ok) throw new AppError('IMPORT_INVALID', { details: report });
        await this.apply(m, compoundId, rows, report);
        // A dry run does the same work and rolls it back, so its counts are exactly what an import would do.
        if (opts.dryRun) throw new DryRunDone(report);
        return report;
      })
      .catch((e: unknown) => {
        if (e instanceof DryRunDone) return e.report;
        throw e;
      });
  }

  private async apply(m: EntityManager, compoundId: string, rows: RegisterRow[], report: ImportReport): Promise<void> {
    const buildingIds = new Map((await m.findBy(Building, { compoundId })).map((b) => [b.name, b.id]));
    const gateIds = new Map<string, string>();
    for (const g of await m.query(
      `SELECT g.id, g.name, g.building_id FROM building_gate g JOIN building b ON b.id = g.building_id WHERE b.compound_id = $1`,
      [compoundId],
    )) {
      gateIds.set(`${g.building_id}/${g.name}`, g.id);
    }
    const households = new Map((await m.findBy(Household, { compoundId })).map((h) => [`${h.buildingId}/${h.unit}`, h]));
    const owners = await m.findBy(Owner, { compoundId });
    const ownerByPhone = new Map(owners.filter((o) => o.phone).map((o) => [o.phone!, o]));
    const ownerById = new Map(owners.map((o) => [o.id, o]));
    const links: Array<{ household_id: string; owner_id: string }> = await m.query(
      `SELECT ho.* FROM household_owner ho JOIN household h ON h.id = ho.household_id WHERE h.compound_id = $1`,
      [compoundId],
    );
    const ownersOf = new Map<string, string[]>();
    for (const l of links) ownersOf.set(l.household_id, [...(ownersOf.get(l.household_id) ?? []), l.owner_id]);

    for (const row of rows) {
      let buildingId = buildingIds.get(row.building);
      if (!buildingId) {
        buildingId = (await m.save(m.create(Building, { compoundId, name: row.building, sort: buildingIds.size }))).id;
        buildingIds.set(row.building, buildingId);
        report.buildings.created++;
      }
      let gateId: string | null = null;
      if (row.gate) {
        gateId = gateIds.get(`${buildingId}/${row.gate}`) ?? null;
        if (!gateId) {
          gateId = (await m.save(m.create(BuildingGate, { buildingId, name: row.gate, sort: gateIds.size }))).id;
          gateIds.set(`${buildingId}/${row.gate}`, gateId);
          report.gates.created++;
        }
      }

      let household = households.get(`${buildingId}/${row.unit}`);
      const previousOwners = household ? (ownersOf.get(household.id) ?? []) : [];
      const ownerIds: string[] = [];
      for (const o of row.owners) {
        let owner = o.phone
          ? ownerByPhone.get(o.phone)
          : previousOwners.map((id) => ownerById.get(id)!).find((p) => !p.phone && p.name === o.name);
        if (!owner) {
          owner = await m.save(m.create(Owner, { compoundId, name: o.name, phone: o.phone, userId: null }));
          if (owner.phone) ownerByPhone.set(owner.phone, owner);
          ownerById.set(owner.id, owner);
          report.owners.created++;
        } else if (owner.name !== o.name) {
          await m.update(Owner, { id: owner.id }, { name: o.name });
          owner.name = o.name;
          report.owners.updated++;
        }
        if (!ownerIds.includes(owner.id)) ownerIds.push(owner.id);
      }

      if (!household) {
        household = await m.save(
          m.create(Household, {
            compoundId,
            buildingId,
            gateId,
            unit: row.unit,
            areaCentiM2: row.areaCentiM2,
            developerHeld: row.developerHeld,
          }),
        );
        households.set(`${buildingId}/${row.unit}`, household);
        report.households.created++;
      } else {
        const sameOwners = previousOwners.length === ownerIds.length && ownerIds.every((id) => previousOwners.includes(id));
        const same =
          household.gateId === gateId &&
          household.areaCentiM2 === row.areaCentiM2 &&
          household.developerHeld === row.developerHeld &&
          sameOwners;
        if (same) {
          report.households.unchanged++;
          continue;
        }
        await m.update(Household, { id: household.id }, { gateId, areaCentiM2: row.areaCentiM2, developerHeld: row.developerHeld });
        await m.delete(HouseholdOwner, { householdId: household.id });
        report.households.updated++;
      }
      await m.insert(
        HouseholdOwner,
        ownerIds.map((ownerId) => ({ householdId: household.id, ownerId })),
      );
      ownersOf.set(household.id, ownerIds);
    }
  }
}

/** Thrown to roll back a dry run's transaction while carrying its report out. */
class DryRunDone extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}
