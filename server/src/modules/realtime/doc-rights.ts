import { Injectable } from '@nestjs/common';
import { type Action, DOC_ACTIONS, type Role } from '@yishi/shared';
import { MinutesService } from '../minutes/minutes.service';
import { EditRightsService } from '../proposals/edit-rights.service';
import { ProposalsService } from '../proposals/proposals.service';

/** What a document belongs to, as the gateway needs it: its compound, who may follow it, and who may edit it now. */
export interface DocOwner {
  compoundId: string;
  kind: 'proposal' | 'minutes';
  /** The policy action a follower needs. */
  follow: Action;
  canEdit(userId: string, roles: readonly Role[]): Promise<boolean>;
}

/**
 * The kinds of co-edited document behind one docId: a proposal's text (rights: role, the chair's
 * invitation, the proposal's status) or a meeting's minutes (the chair and the recorder, until
 * closed; every member of the compound reads). The gateway and the DocStore treat both alike.
 */
@Injectable()
export class DocRights {
  constructor(
    private readonly proposals: ProposalsService,
    private readonly editRights: EditRightsService,
    private readonly minutes: MinutesService,
  ) {}

  async ownerOf(docId: string): Promise<DocOwner | null> {
    const proposal = await this.proposals.compoundOf(docId);
    if (proposal)
      return {
        compoundId: proposal.compoundId,
        kind: 'proposal',
        follow: DOC_ACTIONS.follow,
        canEdit: (userId, roles) => this.editRights.canEdit(docId, userId, roles),
      };
    const minutes = await this.minutes.compoundOf(docId);
    if (minutes)
      return {
        compoundId: minutes.compoundId,
        kind: 'minutes',
        follow: 'meeting.view',
        canEdit: (userId, roles) => this.minutes.canEdit(docId, userId, roles),
      };
    return null;
  }

  /**
   * Whether minutes still take this user's edits (asked before every edit of them, one primary-key
   * read): closing, or naming another recorder, is final on every node at once.
   */
  minutesEditable(docId: string, userId: string, asChair: boolean): Promise<boolean> {
    return this.minutes.editableBy(docId, userId, asChair);
  }
}
