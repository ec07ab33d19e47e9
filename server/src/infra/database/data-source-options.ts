import type { DataSourceOptions } from 'typeorm';
import { Foundation1764360000000 } from './migrations/1764360000000-foundation';
import { Meetings1764400000000 } from './migrations/1764400000000-meetings';
import { Proposals1764450000000 } from './migrations/1764450000000-proposals';
import { Votes1764500000000 } from './migrations/1764500000000-votes';
import { Funding1764600000000 } from './migrations/1764600000000-funding';
import { DocQuarantine1764800000000 } from './migrations/1764800000000-doc-quarantine';
import { ProposalLifecycle1764920000000 } from './migrations/1764920000000-proposal-lifecycle';
import { PaperBallots1764930000000 } from './migrations/1764930000000-paper-ballots';
import { MeetingRuleOptional1764935000000 } from './migrations/1764935000000-meeting-rule-optional';
import { RoundQuestionDefault1764945000000 } from './migrations/1764945000000-round-question-default';
import { Lists1765100000000 } from './migrations/1765100000000-lists';
import { ProjectEvents1765200000000 } from './migrations/1765200000000-project-events';
import { Minutes1765500000000 } from './migrations/1765500000000-minutes';
import { Notices1765600000000 } from './migrations/1765600000000-notices';
import { ProjectorLinks1765700000000 } from './migrations/1765700000000-projector-links';
import { MeetingKinds1765400000000 } from './migrations/1765400000000-meeting-kinds';
import { HealthProbe1765900000000 } from './migrations/1765900000000-health-probe';
import { MeetingAudience1766000000000 } from './migrations/1766000000000-meeting-audience';
import { PartnerUnitRole1766100000000 } from './migrations/1766100000000-partner-unit-role';
import { BallotReferenceChecks1766200000000 } from './migrations/1766200000000-ballot-reference-checks';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** In order. A schema change is a new migration here, never `synchronize`. */
export const MIGRATIONS = [
  Foundation1764360000000,
  Meetings1764400000000,
  Proposals1764450000000,
  Votes1764500000000,
  Funding1764600000000,
  DocQuarantine1764800000000,
  ProposalLifecycle1764920000000,
  PaperBallots1764930000000,
  MeetingRuleOptional1764935000000,
  RoundQuestionDefault1764945000000,
  Lists1765100000000,
  ProjectEvents1765200000000,
  Minutes1765500000000,
  Notices1765600000000,
  ProjectorLinks1765700000000,
  MeetingKinds1765400000000,
  HealthProbe1765900000000,
  MeetingAudience1766000000000,
  PartnerUnitRole1766100000000,
  BallotReferenceChecks1766200000000,
];

/** Entities are not listed here: each module registers its own (`TypeOrmModule.forFeature`), and the DatabaseModule loads them all. */
export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    extra: { max: poolSize, application_name: 'yishi' },
  };
}
