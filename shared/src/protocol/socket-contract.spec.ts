import { ERRORS } from '../errors/error-codes';
import { docCommandSchemas } from './doc.protocol';
import { listsCommandSchemas } from './lists-live.protocol';
import { meetingCommandSchemas } from './meeting.protocol';
import {
  COMMAND_ERRORS,
  commandSchemas,
  type CommandHandler,
  type CommandName,
  type CommandPayload,
  type CommandResult,
  type ServerEventMap,
  type ServerToClientEvents,
} from './socket-contract';
import { projectorCommandSchemas } from './projector.protocol';
import { voteCommandSchemas } from './vote.protocol';

// The type checks below are the point of this file: `npm run typecheck` compiles it, and each
// `@ts-expect-error` fails the build if the line it marks stops being an error. They use the
// same types as both ends: the client's `command()` takes CommandPayload and resolves with
// CommandResult; the server's handlers are CommandHandlers.
declare const command: <C extends CommandName>(name: C, payload: CommandPayload<C>) => Promise<CommandResult<C>>;
declare const emit: <E extends keyof ServerToClientEvents>(event: E, payload: ServerEventMap[E]) => void;
const roundId = '00000000-0000-4000-8000-000000000000';

export async function clientSide(): Promise<void> {
  const ok = await command('vote:follow', { roundId });
  void ok.round.id;
  // @ts-expect-error a payload field renamed on one side only
  await command('vote:follow', { roundID: roundId });
  // @ts-expect-error a result field that the result does not have
  void ok.rounds;
  // @ts-expect-error a command nobody serves
  await command('vote:folow', { roundId });
  // @ts-expect-error a payload of the wrong type
  await command('chat:send', { meetingId: roundId, clientMessageId: roundId, body: 42 });
}

export function serverSide(): void {
  const join: CommandHandler<'doc:join'> = async () => ({ canEdit: true });
  // @ts-expect-error a result field renamed on the server only
  const renamed: CommandHandler<'doc:join'> = async () => ({ canEdt: true });
  // @ts-expect-error reading a payload field that the schema does not have
  const reads: CommandHandler<'doc:leave'> = async (p) => ({ id: p.documentId });
  emit('doc:reset', { docId: roundId });
  // @ts-expect-error an event payload with a renamed field
  emit('doc:reset', { documentId: roundId });
  void [join, renamed, reads];
}

describe('the socket contract', () => {
  it('names every command of every feature exactly once', () => {
    const parts = [meetingCommandSchemas, docCommandSchemas, voteCommandSchemas, listsCommandSchemas, projectorCommandSchemas].flatMap(
      (s) => Object.keys(s),
    );
    expect(new Set(parts).size).toBe(parts.length);
    expect(Object.keys(commandSchemas).sort()).toEqual([...parts].sort());
  });

  it('lists refusal codes from the catalogue for every command', () => {
    expect(Object.keys(COMMAND_ERRORS).sort()).toEqual(Object.keys(commandSchemas).sort());
    for (const codes of Object.values(COMMAND_ERRORS)) for (const code of codes) expect(ERRORS).toHaveProperty(code);
  });
});
