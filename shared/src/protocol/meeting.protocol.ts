import { z } from 'zod';
import type { Action } from '../domain/policy';
import type { Role } from '../domain/roles';
import {
  MEETING_AUDIENCES,
  MEETING_KINDS,
  MEETING_SCOPES,
  type MeetingAudience,
  type MeetingKind,
  type MeetingScope,
} from '../domain/meeting-kinds';
import { RULE_IDS, type RuleId } from '../domain/vote-rules';

// ---------------------------------------------------------------------------------------------
// Views: what the server sends. Times are ISO strings in the server's clock; every event carries
// `at`, so a client can measure its offset and show countdowns that agree with the server.
// ---------------------------------------------------------------------------------------------

export const MEETING_STATUSES = ['scheduled', 'live', 'adjourned', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export interface AgendaItemView {
  id: string;
  position: number;
  title: string;
  notes: string;
  status: 'pending' | 'current' | 'done';
  /** The compound the item concerns when a community or street meeting takes it up; null: the host compound. */
  compoundId: string | null;
}

export interface MeetingView {
  id: string;
  compoundId: string;
  title: string;
  /** 议事协商会, party lesson, …: decides who is invited and whether votes are held (MEETING_KIND_TABLE). */
  kind: MeetingKind;
  /** Hosted by `compoundId`; a community or street meeting may take up items of other compounds. */
  scope: MeetingScope;
  /**
   * Who is invited (the kind's default unless the chair chose otherwise). Anyone else who may see
   * the meeting follows it but cannot check in, raise a hand or chat (NOT_INVITED; isInvited).
   */
  audience: MeetingAudience;
  scheduledAt: string;
  place: string;
  online: boolean;
  status: MeetingStatus;
  /** Buildings concerned; empty means the whole compound. Quorum counts their households only. */
  buildingIds: string[];
  /**
   * The rule every vote held in this meeting uses (with its Article 278 item); null when the
   * meeting fixed none and each round names its own.
   */
  rule: RuleId | null;
  /** For Article 278 rules: which item of the article the motion is; null for any other rule. */
  art278Item: number | null;
  agenda: AgendaItemView[];
  currentAgendaItemId: string | null;
  openedAt: string | null;
  adjournedAt: string | null;
  cancelledAt: string | null;
}

export interface AttendanceView {
  id: string;
  /** The person who checked in; null when the chair registered a household on site. */
  userId: string | null;
  displayName: string;
  householdIds: string[];
  householdLabels: string[];
  method: 'online' | 'on_site' | 'registered';
  registeredBy: string | null;
  checkedInAt: string;
}

export interface HeadAreaCount {
  households: number;
  /** In 0.01 m². */
  areaCentiM2: number;
  heads: number;
}

export interface QuorumView {
  rule: RuleId | null;
  eligible: HeadAreaCount;
  present: HeadAreaCount;
  /** Article 278 participation: at least 2/3 of the area and 2/3 of the owners. */
  areaMet: boolean;
  headsMet: boolean;
  met: boolean;
}

export interface SpeakerView {
  id: string;
  userId: string;
  displayName: string;
  raisedAt: string;
}

export interface FloorView {
  /** The speakers-list entry (turn) that has the floor. */
  turnId: string;
  userId: string;
  displayName: string;
  startedAt: string;
  /** When the time limit runs out; null for no limit. The server ends the turn then. */
  endsAt: string | null;
  timeLimitS: number | null;
}

export interface SpeakersView {
  /** Raised hands, in the order the chair will give the floor. */
  queue: SpeakerView[];
  floor: FloorView | null;
}

export interface ChatMessageView {
  id: string;
  clientMessageId: string;
  userId: string;
  displayName: string;
  /** Null once hidden, except for the chair, who keeps seeing what was hidden. */
  body: string | null;
  hidden: boolean;
  sentAt: string;
}

export interface PresenceView {
  userId: string;
  displayName: string;
  roles: Role[];
  householdLabels: string[];
  organisationName: string | null;
}

/** Everything a client needs to show a meeting, in one message. */
export interface MeetingState {
  /** The sequence number of the last change included; events after it follow. */
  seq: number;
  serverTime: string;
  meeting: MeetingView;
  attendance: AttendanceView[];
  quorum: QuorumView;
  speakers: SpeakersView;
  /** The last 200 messages, oldest first. */
  chat: ChatMessageView[];
  /** Who is connected now (not sequenced; replaced by every presence message). */
  presence: PresenceView[];
}

/**
 * One committed change of a meeting. `seq` increases by one per change of that meeting, so a
 * client that sees a gap knows it missed something and asks for it (`meeting:sync`).
 * Each kind carries the whole new slice it changed, except chat, which appends.
 */
export type MeetingEvent = { meetingId: string; seq: number; at: string } & (
  | { kind: 'meeting'; meeting: MeetingView }
  | { kind: 'attendance'; attendance: AttendanceView[]; quorum: QuorumView }
  | { kind: 'speakers'; speakers: SpeakersView; reason?: 'time_up' }
  | { kind: 'chat'; message: ChatMessageView }
  | { kind: 'chat-hidden'; messageId: string }
);

/** Applies one event to a state; the same function runs in every client. */
export function applyMeetingEvent(state: MeetingState, e: MeetingEvent): MeetingState {
  const next = { ...state, seq: e.seq };
  switch (e.kind) {
    case 'meeting':
      return { ...next, meeting: e.meeting };
    case 'attendance':
      return { ...next, attendance: e.attendance, quorum: e.quorum };
    case 'speakers':
      return { ...next, speakers: e.speakers };
    case 'chat':
      return { ...next, chat: [...state.chat.filter((m) => m.id !== e.message.id), e.message].slice(-200) };
    case 'chat-hidden':
      return { ...next, chat: state.chat.map((m) => (m.id === e.messageId ? { ...m, hidden: true, body: null } : m)) };
  }
}

// ---------------------------------------------------------------------------------------------
// Commands: what a client sends. Each payload is parsed by its schema before anything happens.
// ---------------------------------------------------------------------------------------------

const meetingId = z.uuid();
const m = { meetingId };

export const meetingCommandSchemas = {
  /** Join the meeting's room. With `sinceSeq`, get only what changed since (after a reconnect). */
  'meeting:join': z.object({ ...m, sinceSeq: z.number().int().min(0).optional() }),
  'meeting:leave': z.object(m),
  /** Missed events since `sinceSeq` (a gap was seen), or the whole state if too many. */
  'meeting:sync': z.object({ ...m, sinceSeq: z.number().int().min(0) }),
  /** Chair: scheduled → live. */
  'meeting:open': z.object(m),
  /** Chair: live → adjourned. Ends the current turn and clears the hands. */
  'meeting:adjourn': z.object(m),
  /** Chair: make an agenda item the current one (the previous one is done). */
  'agenda:set-current': z.object({ ...m, agendaItemId: z.uuid() }),
  /** Check oneself in (online, or on site in the meeting room). */
  'attendance:check-in': z.object({ ...m, onSite: z.boolean().default(false) }),
  /** Chair: register a household present on site whose people have no phone. */
  'attendance:register': z.object({ ...m, householdId: z.uuid() }),
  'hand:raise': z.object(m),
  'hand:lower': z.object(m),
  /** Chair: give the floor to a raised hand (the first one when omitted), optionally with a time limit. */
  'floor:give': z.object({ ...m, speakerId: z.uuid().optional(), timeLimitS: z.number().int().min(10).max(3600).optional() }),
  /** Chair: end the current turn. */
  'floor:end': z.object(m),
  /** Chair: the new order of the raised hands (every waiting speaker exactly once). */
  'speakers:reorder': z.object({ ...m, order: z.array(z.uuid()).max(500) }),
  /** Idempotent by clientMessageId: sending the same message twice stores it once. */
  'chat:send': z.object({
    ...m,
    clientMessageId: z.uuid(),
    body: z.string().trim().min(1, 'required').max(1000, 'at most 1000 characters'),
  }),
  /** Chair: hide a message from everyone else; it stays in the record. */
  'chat:hide': z.object({ ...m, messageId: z.uuid() }),
} as const;

export type MeetingCommand = keyof typeof meetingCommandSchemas;

/** The policy-table action each command needs in the meeting's compound. */
export const MEETING_COMMAND_ACTIONS: Record<MeetingCommand, Action> = {
  'meeting:join': 'meeting.view',
  'meeting:leave': 'meeting.view',
  'meeting:sync': 'meeting.view',
  'meeting:open': 'meeting.run',
  'meeting:adjourn': 'meeting.run',
  'agenda:set-current': 'meeting.run',
  'attendance:check-in': 'meeting.check_in',
  'attendance:register': 'meeting.run',
  'hand:raise': 'meeting.speak',
  'hand:lower': 'meeting.speak',
  'floor:give': 'meeting.run',
  'floor:end': 'meeting.run',
  'speakers:reorder': 'meeting.run',
  'chat:send': 'meeting.chat',
  'chat:hide': 'chat.moderate',
};
export type MeetingCommandPayload<C extends MeetingCommand> = z.input<(typeof meetingCommandSchemas)[C]>;

/** What each command's successful ack carries besides `ok: true`. */
export interface MeetingCommandResults {
  'meeting:join': { state: MeetingState } | { events: MeetingEvent[]; presence: PresenceView[] };
  'meeting:leave': object;
  'meeting:sync': { state: MeetingState } | { events: MeetingEvent[]; presence: PresenceView[] };
  'meeting:open': { seq: number };
  'meeting:adjourn': { seq: number };
  'agenda:set-current': { seq: number };
  'attendance:check-in': { seq: number };
  'attendance:register': { seq: number };
  'hand:raise': { seq: number; speakerId: string };
  'hand:lower': { seq: number };
  'floor:give': { seq: number };
  'floor:end': { seq: number };
  'speakers:reorder': { seq: number };
  'chat:send': { seq: number; message: ChatMessageView };
  'chat:hide': { seq: number };
}

/** What the server emits about meetings (the whole contract: socket-contract.ts). */
export interface MeetingServerToClientEvents {
  /** A committed change of a meeting the socket has joined. */
  'meeting:event': (e: MeetingEvent) => void;
  /** Who is connected to the meeting now. */
  'meeting:presence': (p: { meetingId: string; presence: PresenceView[] }) => void;
  /** The socket was taken out of the meeting (its membership or role changed). */
  'meeting:removed': (p: { meetingId: string; code: string }) => void;
  /** The session was signed out; the server disconnects the socket right after. */
  'session:ended': (p: { code: string }) => void;
  /**
   * This node is stopping (SIGTERM): it has answered every command it accepted and closes the
   * connection next; the client reconnects as after any dropped connection, to another node.
   * Commands sent meanwhile are refused with UNAVAILABLE.
   */
  'server:draining': (p: { code: 'UNAVAILABLE' }) => void;
}

// ---------------------------------------------------------------------------------------------
// HTTP: scheduling (the chair), through /api/compounds/:compoundId/meetings
// ---------------------------------------------------------------------------------------------

const agendaItem = z.object({
  title: z.string().trim().min(1).max(120),
  notes: z.string().trim().max(2000).default(''),
  /** Another compound this item concerns (community or street meetings only; checked by the server). */
  compoundId: z.uuid().nullable().default(null),
});

export const scheduleMeetingSchema = z.object({
  title: z.string().trim().min(1, 'required').max(120),
  kind: z.enum(MEETING_KINDS).default('deliberation'),
  /** Who is invited; left out, the kind's default audience (MEETING_KIND_TABLE). */
  audience: z.enum(MEETING_AUDIENCES).optional(),
  scope: z.enum(MEETING_SCOPES).default('compound'),
  scheduledAt: z.iso.datetime({ offset: true }),
  place: z.string().trim().max(200).default(''),
  online: z.boolean().default(true),
  buildingIds: z.array(z.uuid()).max(200).default([]),
  /** Fixes the rule of every vote in this meeting; null (the default) leaves each round its own. */
  rule: z.enum(RULE_IDS).nullable().default(null),
  /** With an Article 278 rule, the item of the article; must match the rule (checked by the server). */
  art278Item: z.number().int().min(1).max(9).nullable().default(null),
  agenda: z.array(agendaItem).max(50).default([]),
});
export type ScheduleMeetingRequest = z.input<typeof scheduleMeetingSchema>;

/** Reschedule or edit a meeting that has not opened yet; fields left out stay as they are. */
export const updateMeetingSchema = z
  .object({
    title: z.string().trim().min(1).max(120),
    /** A new kind without `audience` brings the new kind's default audience. */
    kind: z.enum(MEETING_KINDS),
    audience: z.enum(MEETING_AUDIENCES),
    scheduledAt: z.iso.datetime({ offset: true }),
    place: z.string().trim().max(200),
    online: z.boolean(),
    buildingIds: z.array(z.uuid()).max(200),
    agenda: z.array(agendaItem).max(50),
  })
  .partial();
export type UpdateMeetingRequest = z.input<typeof updateMeetingSchema>;

/** `GET …/meetings/compounds-in-scope?scope=`: the compounds a wider meeting may take up items about. */
export const compoundsInScopeQuerySchema = z.object({ scope: z.enum(MEETING_SCOPES) });
export interface ScopeCompoundView {
  id: string;
  name: string;
  communityName: string;
}
