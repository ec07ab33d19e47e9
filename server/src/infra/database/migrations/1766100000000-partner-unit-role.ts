import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15: "departments and partner units see only what was escalated to them". A partner
 * unit's (共建单位) person joined as an observer, and observers read the compound's demand,
 * resource and project lists; they get a role of their own, `partner_unit`, which, like a
 * street department, sees of the lists only the whistles blown to its unit, and which names it.
 * Observers who represent a partner unit become partner units.
 */
export class PartnerUnitRole1766100000000 implements MigrationInterface {
  name = 'PartnerUnitRole1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE membership DROP CONSTRAINT membership_role_check;
      ALTER TABLE membership ADD CONSTRAINT membership_role_check
        CHECK (role IN ('resident', 'gate_leader', 'chair', 'property_company', 'property_rights_unit', 'street_department', 'partner_unit', 'observer'));
      UPDATE membership m SET role = 'partner_unit'
        FROM organisation o WHERE m.role = 'observer' AND o.id = m.organisation_id AND o.kind = 'partner_unit';
      ALTER TABLE membership ADD CONSTRAINT membership_partner_unit_organisation CHECK (role <> 'partner_unit' OR organisation_id IS NOT NULL);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE membership DROP CONSTRAINT membership_partner_unit_organisation;
      UPDATE membership SET role = 'observer' WHERE role = 'partner_unit';
      ALTER TABLE membership DROP CONSTRAINT membership_role_check;
      ALTER TABLE membership ADD CONSTRAINT membership_role_check
        CHECK (role IN ('resident', 'gate_leader', 'chair', 'property_company', 'property_rights_unit', 'street_department', 'observer'));
    `);
  }
}
