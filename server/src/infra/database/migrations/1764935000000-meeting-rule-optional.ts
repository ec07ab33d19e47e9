import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A meeting's rule becomes optional, and when given it goes with its Article 278 item: scheduling
 * used to default to an ordinary Article 278 matter with no item, which no round could then use.
 * A meeting with a rule holds its votes under that rule and item; one without leaves each round
 * its own.
 */
export class MeetingRuleOptional1764935000000 implements MigrationInterface {
  name = 'MeetingRuleOptional1764935000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE meeting ALTER COLUMN rule DROP NOT NULL;
      -- Pairs no round could be opened under (the old default among them) become "no rule fixed".
      UPDATE meeting SET rule = NULL, art278_item = NULL WHERE NOT (
        (rule IN ('unanimous', 'simple_majority', 'two_thirds') AND art278_item IS NULL)
        OR (rule = 'art278_special' AND art278_item IN (6, 7, 8))
        OR (rule = 'art278_ordinary' AND art278_item IN (1, 2, 3, 4, 5, 9)));
      ALTER TABLE meeting ADD CONSTRAINT meeting_rule_item CHECK (
        (rule IS NULL AND art278_item IS NULL)
        OR (rule IN ('unanimous', 'simple_majority', 'two_thirds') AND art278_item IS NULL)
        OR (rule = 'art278_special' AND art278_item IN (6, 7, 8))
        OR (rule = 'art278_ordinary' AND art278_item IN (1, 2, 3, 4, 5, 9)));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE meeting DROP CONSTRAINT meeting_rule_item;
      UPDATE meeting SET rule = 'art278_ordinary' WHERE rule IS NULL;
      ALTER TABLE meeting ALTER COLUMN rule SET NOT NULL;
    `);
  }
}
