import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DocsModule } from '../docs/docs.module';
import { MembershipsModule } from '../memberships/memberships.module';
import { ProposalsController } from './proposals.controller';
import { ProposalsService } from './proposals.service';

/** Proposals: creation, frozen revisions with content hashes, diffs, anchored comment threads. */
@Module({
  imports: [AuditModule, DocsModule, MembershipsModule],
  controllers: [ProposalsController],
  providers: [ProposalsService],
  exports: [ProposalsService],
})
export class ProposalsModule {}
