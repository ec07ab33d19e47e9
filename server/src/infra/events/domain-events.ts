import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { MeetingEvent, ProposalStatus, ProposalTransition, RoundView, TallyView, WhistleStatus } from '@yishi/shared';

/** A proposal's status changed (committed). `editable`: whether the new status still allows editing the text. */
export interface ProposalStatusChange {
  proposalId: string;
  compoundId: string;
  from: ProposalStatus;
  to: ProposalStatus;
  transition: ProposalTransition;
  editable: boolean;
}

/** Things that happened, for whoever must react (the realtime layer, later the audit log). */
export interface DomainEventMap {
  /** A committed meeting change, to be delivered to the meeting's room. */
  'meeting.event': [MeetingEvent];
  /** A session was signed out: its sockets must go. */
  'session.revoked': [{ sessionId: string }];
  /** A user's memberships in a compound changed: their sockets are authorized again. */
  'membership.changed': [{ userId: string; compoundId: string }];
  /** A vote round opened, closed, or its proposal was adopted (committed). */
  'vote.round': [RoundView];
  /** A proposal's comment threads changed (a comment, a reply, resolved or reopened, an objection with a ballot). */
  'comments.changed': [{ proposalId: string }];
  /** Stored edits of a document were set aside because it could not be loaded with them. */
  'doc.quarantined': [{ docId: string; updates: Array<{ id: string; authorId: string | null; at: string }> }];
  /** The cross-node channel (Redis) is back after an outage: what other nodes sent meanwhile may be missing. */
  'crossnode.restored': [];
  /** A proposal moved in its life cycle (ProposalLifecycleService, after the commit). */
  'proposal.status': [ProposalStatusChange];
  /**
   * Who may edit a proposal's text changed (an invitation withdrawn, a status that no longer
   * allows editing): sockets editing it are authorized again.
   */
  'proposal.edit_rights': [{ proposalId: string }];
  /** Who may edit another kind of document changed (minutes: the recorder named, the minutes closed): its editors are authorized again. */
  'doc.edit_rights': [{ docId: string }];
  /** A fresh count of a round, after ballots committed. */
  'vote.tally': [TallyView];
  /** A whistle was blown or moved a step (committed); `userIds`: everyone who may see it. */
  /** A projector link was revoked or replaced (committed): the screens using it must go. */
  'projector.revoked': [{ linkId: string }];
  'whistle.changed': [{ whistleId: string; compoundId: string; status: WhistleStatus; userIds: string[] }];
  /** A notice was published, got an objection or an answer, or was withdrawn (committed); `userIds`: the compound's members. */
  'notice.changed': [{ noticeId: string; compoundId: string; userIds: string[] }];
  /** Demands or a project of the compound changed (committed): whoever has the lists open loads them again. */
  'lists.changed': [{ compoundId: string; demandIds: string[]; projectIds: string[] }];
}

/**
 * An in-process, typed event bus. Services emit after their transaction commits; listeners run
 * synchronously and must not throw into the emitter.
 */
@Injectable()
export class DomainEvents {
  private readonly bus = new EventEmitter();

  emit<K extends keyof DomainEventMap>(name: K, ...args: DomainEventMap[K]): void {
    this.bus.emit(name, ...args);
  }

  on<K extends keyof DomainEventMap>(name: K, listener: (...args: DomainEventMap[K]) => void): void {
    this.bus.on(name, listener as (...a: unknown[]) => void);
  }
}
