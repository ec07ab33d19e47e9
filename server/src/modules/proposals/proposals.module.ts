import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DocumentsModule } from '../documents/documents.module';
import { MembershipsModule } from '../memberships/memberships.module';
import { ProposalsController } from './proposals.controller';
import { ProposalLifecycleService } from './proposal-lifecycle.service';
import { CommentsService } from './comments.service';
import { EditRightsService } from './edit-rights.service';
import { ProposalsService } from './proposals.service';
import { RevisionsService } from './revisions.service';

/** Proposals: creation, their life cycle, frozen revisions with content hashes, diffs, anchored comment threads, invitations to edit, amendments. */
@Module({
  imports: [AuditModule, DocumentsModule, MembershipsModule],
  controllers: [ProposalsController],
  providers: [ProposalsService, RevisionsService, CommentsService, EditRightsService, ProposalLifecycleService],
  exports: [ProposalsService, RevisionsService, CommentsService, EditRightsService, ProposalLifecycleService],
})
export class ProposalsModule {}
