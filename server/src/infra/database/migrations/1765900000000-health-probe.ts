import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17: readiness proves the database can still write (a full disk let `SELECT 1` pass while
 * every write failed) by upserting this table's one row, cheaply.
 */
export class HealthProbe1765900000000 implements MigrationInterface {
  name = 'HealthProbe1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE health_probe (id int PRIMARY KEY CHECK (id = 1), at timestamptz NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE health_probe`);
  }
}
