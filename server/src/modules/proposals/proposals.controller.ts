import { Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type CommentView, createCommentSchema, createProposalSchema, type DiffLine, type ProposalView, replySchema, type RevisionView } from '@yishi/shared';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { UuidParam } from '../../infra/http/uuid-param.pipe';
import { ValidBody } from '../../infra/http/zod.pipe';
import { Access, Auth, type AuthContext, Can, type CompoundAccess } from '../auth/access.decorators';
import { MembersService } from '../memberships/members.service';
import { ProposalsService } from './proposals.service';

const RevisionNumber = new ParseIntPipe({ exceptionFactory: () => new AppError('NOT_FOUND') });

/** Proposals over HTTP. Their text is co-edited over Socket.IO (`doc:*` events, docs/protocol.md). */
@ApiTags('proposals')
@Controller('compounds/:compoundId/proposals')
export class ProposalsController {
  constructor(
    private readonly proposals: ProposalsService,
    private readonly members: MembersService,
  ) {}

  @Get()
  @Can('proposal.view')
  list(@Access() access: CompoundAccess): Promise<ProposalView[]> {
    return this.proposals.list(access.compoundId);
  }

  @Post()
  @Can('proposal.create')
  create(@Access() access: CompoundAccess, @Auth() auth: AuthContext, @ValidBody(createProposalSchema) body: z.output<typeof createProposalSchema>): Promise<ProposalView> {
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
    return this.proposals.freeze(access, auth.userId, id);
  }

  @Get(':proposalId/revisions/:number')
  @Can('proposal.view')
  revision(@Access() access: CompoundAccess, @Param('proposalId', UuidParam) id: string, @Param('number', RevisionNumber) n: number): Promise<RevisionView> {
    return this.proposals.revision(access.compoundId, id, n);
  }

  @Get(':proposalId/revisions/:from/diff/:to')
  @Can('proposal.view')
  diff(
    @Access() access: CompoundAccess,
    @Param('proposalId', UuidParam) id: string,
    @Param('from', RevisionNumber) from: number,
    @Param('to', RevisionNumber) to: number,
  ): Promise<DiffLine[]> {
    return this.proposals.diff(access.compoundId, id, from, to);
  }

  @Get(':proposalId/comments')
  @Can('proposal.view')
  comments(@Access() access: CompoundAccess, @Param('proposalId', UuidParam) id: string): Promise<CommentView[]> {
    return this.proposals.comments(access.compoundId, id);
  }

  /** A new thread, optionally anchored to a range of the text by Yjs relative positions. */
  @Post(':proposalId/comments')
  @Can('comment.write')
  async comment(@Access() access: CompoundAccess, @Auth() auth: AuthContext, @Param('proposalId', UuidParam) id: string, @ValidBody(createCommentSchema) body: z.output<typeof createCommentSchema>): Promise<CommentView> {
    return this.proposals.comment(access.compoundId, id, { id: auth.userId, name: await this.members.displayName(auth.userId) }, body);
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
    return this.proposals.reply(access.compoundId, id, threadId, { id: auth.userId, name: await this.members.displayName(auth.userId) }, body.body);
  }

  @Post(':proposalId/comments/:threadId/resolve')
  @Can('comment.write')
  @HttpCode(204)
  async resolve(@Access() access: CompoundAccess, @Auth() auth: AuthContext, @Param('proposalId', UuidParam) id: string, @Param('threadId', UuidParam) threadId: string): Promise<void> {
    await this.proposals.resolve(access, auth.userId, id, threadId, true);
  }

  @Post(':proposalId/comments/:threadId/reopen')
  @Can('comment.write')
  @HttpCode(204)
  async reopen(@Access() access: CompoundAccess, @Auth() auth: AuthContext, @Param('proposalId', UuidParam) id: string, @Param('threadId', UuidParam) threadId: string): Promise<void> {
    await this.proposals.resolve(access, auth.userId, id, threadId, false);
  }
}
