import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { ProposalTimeline } from '@yishi/shared';
import { UuidParam } from '../../infra/http/uuid-param.pipe';
import { Can } from '../../infra/http/route-access';
import { Access, type CompoundAccess } from '../memberships/compound-access';
import { TimelineService } from './timeline.service';

@ApiTags('timeline')
@Controller('compounds/:compoundId/proposals/:proposalId/timeline')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  /** The proposal's whole path, oldest first: demands, meetings, revisions, rounds with objections, sign-offs, adoption, notices, projects. */
  @Get()
  @Can('proposal.view')
  get(@Access() access: CompoundAccess, @Param('proposalId', UuidParam) id: string): Promise<ProposalTimeline> {
    return this.timeline.forProposal(access, id);
  }
}
