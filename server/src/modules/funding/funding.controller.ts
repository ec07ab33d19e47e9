import { Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  type HouseholdAreaView,
  type HouseholdSharesView,
  requiredSignOffsSchema,
  type SignOffResult,
  signOffSchema,
  type SignOffStatusView,
} from '@yishi/shared';
import type { z } from 'zod';
import { RevisionNumber } from '../../infra/http/revision-param.pipe';
import { UuidParam } from '../../infra/http/uuid-param.pipe';
import { ValidBody } from '../../infra/http/zod.pipe';
import { Auth, type AuthContext, Can } from '../../infra/http/route-access';
import { Access, type CompoundAccess } from '../memberships/compound-access';
import { FundingService } from './funding.service';

/**
 * Funding over HTTP: sign-offs by the funding parties and the sign-offs a proposal requires.
 * The plan itself is part of the proposal's co-edited document (docs/protocol.md).
 */
@ApiTags('funding')
@Controller('compounds/:compoundId')
export class FundingController {
  constructor(private readonly funding: FundingService) {}

  /** Give or refuse the caller's organisation's sign-off on a frozen revision. */
  @Post('proposals/:proposalId/revisions/:number/sign-offs')
  @Can('funding.sign_off')
  signOff(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('proposalId', UuidParam) proposalId: string,
    @Param('number', RevisionNumber) n: number,
    @ValidBody(signOffSchema) body: z.output<typeof signOffSchema>,
  ): Promise<SignOffResult> {
    return this.funding.signOff(access, auth.userId, proposalId, n, body);
  }

  /** Given, refused and missing sign-offs on one revision. */
  @Get('proposals/:proposalId/revisions/:number/sign-offs')
  @Can('proposal.view')
  revisionSignOffs(
    @Access() access: CompoundAccess,
    @Param('proposalId', UuidParam) proposalId: string,
    @Param('number', RevisionNumber) n: number,
  ): Promise<SignOffStatusView> {
    return this.funding.status(access.compoundId, proposalId, n);
  }

  /** The same for the revision that matters now: the one awaiting adoption, else the latest. */
  @Get('proposals/:proposalId/sign-offs')
  @Can('proposal.view')
  signOffs(@Access() access: CompoundAccess, @Param('proposalId', UuidParam) proposalId: string): Promise<SignOffStatusView> {
    return this.funding.status(access.compoundId, proposalId);
  }

  @Put('proposals/:proposalId/required-sign-offs')
  @Can('proposal.require_sign_off')
  setRequired(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('proposalId', UuidParam) proposalId: string,
    @ValidBody(requiredSignOffsSchema) body: z.output<typeof requiredSignOffsSchema>,
  ): Promise<SignOffStatusView> {
    return this.funding.setRequired(access.compoundId, auth.userId, proposalId, body);
  }

  /** What each household pays of the residents' part of a frozen revision's plan. */
  @Get('proposals/:proposalId/revisions/:number/household-shares')
  @Can('proposal.view')
  householdShares(
    @Access() access: CompoundAccess,
    @Param('proposalId', UuidParam) proposalId: string,
    @Param('number', RevisionNumber) n: number,
  ): Promise<HouseholdSharesView> {
    return this.funding.householdShares(access.compoundId, proposalId, n);
  }

  /** Households' floor areas (no names), for showing per-household shares of a draft plan live. */
  @Get('household-areas')
  @Can('proposal.view')
  householdAreas(@Access() access: CompoundAccess): Promise<HouseholdAreaView[]> {
    return this.funding.householdAreas(access.compoundId);
  }
}
