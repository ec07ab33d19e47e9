import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  type CommentView,
  createAmendmentSchema,
  createCommentSchema,
  createProposalSchema,
  type DiffLine,
  editGrantSchema,
  type EditRightsView,
  type ProposalView,
  replySchema,
  type RevisionView,
  withdrawProposalSchema,
} from '@yishi/shared';
import type { z } from 'zod';
import { RevisionNumber } from '../../infra/http/revision-param.pipe';
import { UuidParam } from '../../infra/http/uuid-param.pipe';
import { ValidBody } from '../../infra/http/zod.pipe';
import { Auth, type AuthContext, Can } from '../../infra/http/route-access';
import { Access, type CompoundAccess } from '../memberships/compound-access';
import { MembersService } from '../memberships/members.service';
import { ProposalLifecycleService } from './proposal-lifecycle.service';
import { CommentsService } from './comments.service';
import { EditRightsService } from './edit-rights.service';
import { ProposalsService } from './proposals.service';
import { RevisionsService } from './revisions.service';

/** Proposals over HTTP. Their text is co-edited over Socket.IO (`doc:*` events, docs/protocol.md). */
@ApiTags('proposals')
@Controller('compounds/:compoundId/proposals')
export class ProposalsController {
  constructor(
    private readonly proposals: ProposalsService,
    private readonly revisions: RevisionsService,
    private readonly threads: CommentsService,
    private readonly grants: EditRightsService,
    private readonly members: MembersService,
    private readonly lifecycle: ProposalLifecycleService,
  ) {}

  @Get()
  @Can('proposal.view')
  list(@Access() access: CompoundAccess): Promise<ProposalView[]> {
    return this.proposals.list(access.compoundId);
  }

  @Post()
  @Can('proposal.create')
  create(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @ValidBody(createProposalSchema) body: z.output<typeof createProposalSchema>,
  ): Promise<ProposalView> {
    return this.proposals.create(access.compoundId, auth.userId, body);
  }

  @Get(':proposalId')
  @Can('proposal.view')
  get(@Access() access: CompoundAccess, @Param('proposalId', UuidParam) id: string): Promise<ProposalView> {
    return this.proposals.get(access.compoundId, id);
  }

  /** Freeze the text as it stands into a new numbered revision with its SHA-256 content hash. */
  @Post(':proposalId/revisions')
  @Can('proposal.freeze')
  freeze(@Access() access: CompoundAccess, @Auth() auth: AuthContext, @Param('proposalId', UuidParam) id: string): Promise<RevisionView> {
    return this.revisions.freeze(access, auth.userId, id);
  }

  /** Change an adopted proposal: a new proposal that amends it, from its adopted text and plan. */
  @Post(':proposalId/amendments')
  @Can('proposal.create')
  amend(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('proposalId', UuidParam) id: string,
    @ValidBody(createAmendmentSchema) body: z.output<typeof createAmendmentSchema>,
  ): Promise<ProposalView> {
    return this.proposals.amend(access, auth.userId, id, body);
  }

  @Post(':proposalId/withdraw')
  @Can('proposal.manage')
  @HttpCode(200)
  async withdraw(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('proposalId', UuidParam) id: string,
    @ValidBody(withdrawProposalSchema) body: z.output<typeof withdrawProposalSchema>,
  ): Promise<ProposalView> {
    await this.lifecycle.withdraw(access, auth.userId, id, body.reason);
    return this.proposals.get(access.compoundId, id);
  }

  @Post(':proposalId/archive')
  @Can('proposal.manage')
  @HttpCode(200)
  async archive(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('proposalId', UuidParam) id: string,
  ): Promise<ProposalView> {
    await this.lifecycle.archive(access, auth.userId, id);
    return this.proposals.get(access.compoundId, id);
  }

  /** Who the chair invited to edit, and whether the caller may edit now. */
  @Get(':proposalId/edit-rights')
  @Can('proposal.view')
  editRights(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('proposalId', UuidParam) id: string,
  ): Promise<EditRightsView> {
    return this.grants.editRights(access, auth.userId, id);
  }

  @Post(':proposalId/edit-grants')
  @Can('proposal.manage')
  grantEdit(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('proposalId', UuidParam) id: string,
    @ValidBody(editGrantSchema) body: z.output<typeof editGrantSchema>,
  ): Promise<EditRightsView> {
    return this.grants.grantEdit(access, auth.userId, id, body);
  }

  @Delete(':proposalId/edit-grants/:grantId')
  @Can('proposal.manage')
  revokeEdit(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('proposalId', UuidParam) id: string,
    @Param('grantId', UuidParam) grantId: string,
  ): Promise<EditRightsView> {
    return this.grants.revokeEdit(access, auth.userId, id, grantId);
  }

  @Get(':proposalId/revisions/:number')
  @Can('proposal.view')
  revision(
    @Access() access: CompoundAccess,
    @Param('proposalId', UuidParam) id: string,
    @Param('number', RevisionNumber) n: number,
  ): Promise<RevisionView> {
    return this.revisions.revision(access.compoundId, id, n);
  }

  @Get(':proposalId/revisions/:from/diff/:to')
  @Can('proposal.view')
  diff(
    @Access() access: CompoundAccess,
    @Param('proposalId', UuidParam) id: string,
    @Param('from', RevisionNumber) from: number,
    @Param('to', RevisionNumber) to: number,
  ): Promise<DiffLine[]> {
    return this.revisions.diff(access.compoundId, id, from, to);
  }

  @Get(':proposalId/comments')
  @Can('proposal.view')
  comments(@Access() access: CompoundAccess, @Param('proposalId', UuidParam) id: string): Promise<CommentView[]> {
    return this.threads.comments(access.compoundId, id);
  }

  /** A new thread, optionally anchored to a range of the text by Yjs relative positions. */
  @Post(':proposalId/comments')
  @Can('comment.write')
  async comment(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('proposalId', UuidParam) id: string,
    @ValidBody(createCommentSchema) body: z.output<typeof createCommentSchema>,
  ): Promise<CommentView> {
    return this.threads.comment(access.compoundId, id, { id: auth.userId, name: await this.members.displayName(auth.userId) }, body);
  }

  @Post(':proposalId/comments/:threadId/replies')
  @Can('comment.write')
  async reply(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('proposalId', UuidParam) id: string,
    @Param('threadId', UuidParam) threadId: string,
    @ValidBody(replySchema) body: z.output<typeof replySchema>,
  ): Promise<CommentView> {
    return this.threads.reply(
      access.compoundId,
      id,
      threadId,
      { id: auth.userId, name: await this.members.displayName(auth.userId) },
      body.body,
    );
  }

  @Post(':proposalId/comments/:threadId/resolve')
  @Can('comment.write')
  @HttpCode(204)
  async resolve(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('proposalId', UuidParam) id: string,
    @Param('threadId', UuidParam) threadId: string,
  ): Promise<void> {
    await this.threads.resolve(access, auth.userId, id, threadId, true);
  }

  @Post(':proposalId/comments/:threadId/reopen')
  @Can('comment.write')
  @HttpCode(204)
  async reopen(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('proposalId', UuidParam) id: string,
    @Param('threadId', UuidParam) threadId: string,
  ): Promise<void> {
    await this.threads.resolve(access, auth.userId, id, threadId, false);
  }
}
