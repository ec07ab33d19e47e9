import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DocumentsModule } from '../documents/documents.module';
import { MembershipsModule } from '../memberships/memberships.module';
import { ProposalsController } from './proposals.controller';
import { ProposalLifecycleService } from './proposal-lifecycle.service';
import { ProposalsService } from './proposals.service';

/** Proposals: creation, their life cycle, frozen revisions with content hashes, diffs, anchored comment threads, invitations to edit, amendments. */
@Module({
  imports: [AuditModule, DocumentsModule, MembershipsModule],
  controllers: [ProposalsController],
  providers: [ProposalsService, ProposalLifecycleService],
  exports: [ProposalsService, ProposalLifecycleService],
})
export class ProposalsModule {}
