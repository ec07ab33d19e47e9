import { Injectable } from '@nestjs/common';
import type { ChatMessageView } from '@yishi/shared';
import { AppError } from '../../infra/errors/app-error';
import { User } from '../users/user.entity';
import { ChatMessage } from './meeting.entities';
import { type Actor, type EventBody, MeetingChanges, mustBeInvited, mustBeLive } from './meeting-changes.service';
import { chatView } from './meeting-views';

/** A live meeting's chat: messages sent once per client id, and hidden by the chair. */
@Injectable()
export class MeetingChatService {
  constructor(private readonly changes: MeetingChanges) {}

  /** Idempotent: the same clientMessageId is stored once, and answered with the stored message. */
  async sendChat(actor: Actor, meetingId: string, clientMessageId: string, body: string) {
    return this.changes.change(
      meetingId,
      actor.userId,
      async (m, meeting): Promise<{ events: EventBody[]; result: { message: ChatMessageView } }> => {
        mustBeLive(meeting);
        mustBeInvited(meeting, actor);
        const existing = await m.findOneBy(ChatMessage, { meetingId, clientMessageId });
        if (existing) return { events: [], result: { message: chatView(existing, true) } };
        const user = await m.findOneByOrFail(User, { id: actor.userId });
        const row = await m.save(
          m.create(ChatMessage, {
            meetingId,
            clientMessageId,
            userId: actor.userId,
            displayName: user.displayName,
            body,
            sentAt: new Date(),
            hiddenAt: null,
            hiddenBy: null,
          }),
        );
        const message = chatView(row, true);
        return { events: [{ kind: 'chat', message }], result: { message } };
      },
    );
  }

  async hideChat(actor: Actor, meetingId: string, messageId: string) {
    return this.changes.change(meetingId, actor.userId, async (m) => {
      const msg = await m.findOneBy(ChatMessage, { id: messageId, meetingId });
      if (!msg) throw new AppError('NOT_FOUND');
      if (msg.hiddenAt) return { events: [], result: {} };
      await m.update(ChatMessage, { id: messageId }, { hiddenAt: new Date(), hiddenBy: actor.userId });
      return { events: [{ kind: 'chat-hidden', messageId }], result: {} };
    });
  }
}
