import {
  type AgendaItemView,
  type AttendanceView,
  type ChatMessageView,
  type ElectorateHousehold,
  electorateTotals,
  type MeetingEvent,
  headGroups,
  type MeetingView,
  participation,
  type QuorumView,
  type SpeakersView,
} from '@yishi/shared';
import type { EntityManager } from 'typeorm';
import { householdLabels } from '../compounds/household-labels';
import { AgendaItem, Attendance, ChatMessage, type Meeting, Speaker } from './meeting.entities';

/** Reads the slices of a meeting's state, inside whatever transaction the caller is in. */

/** The meeting as members of `forCompound` see it: a guest compound's members see only the items about their compound. */
export function guestView(view: MeetingView, forCompound: string | undefined): MeetingView {
  if (!forCompound || forCompound === view.compoundId) return view;
  return { ...view, agenda: view.agenda.filter((a) => a.compoundId === forCompound) };
}

/** A meeting event as a guest compound's members receive it (only `meeting` events name agenda items). */
export function guestEvent(e: MeetingEvent, forCompound: string | undefined): MeetingEvent {
  return e.kind === 'meeting' ? { ...e, meeting: guestView(e.meeting, forCompound) } : e;
}

export async function meetingView(m: EntityManager, meeting: Meeting, forCompound?: string): Promise<MeetingView> {
  const agenda = await m.find(AgendaItem, { where: { meetingId: meeting.id }, order: { position: 'ASC' } });
  return guestView(fullView(meeting, agenda), forCompound);
}

function fullView(meeting: Meeting, agenda: AgendaItem[]): MeetingView {
  return {
    id: meeting.id,
    compoundId: meeting.compoundId,
    title: meeting.title,
    kind: meeting.kind,
    scope: meeting.scope,
    audience: meeting.audience,
    scheduledAt: meeting.scheduledAt.toISOString(),
    place: meeting.place,
    online: meeting.online,
    status: meeting.status,
    buildingIds: meeting.buildingIds,
    rule: meeting.rule,
    art278Item: meeting.art278Item,
    agenda: agenda.map((a): AgendaItemView => ({
      id: a.id,
      position: a.position,
      title: a.title,
      notes: a.notes,
      status: a.status,
      compoundId: a.compoundId,
    })),
    currentAgendaItemId: meeting.currentAgendaItemId,
    openedAt: meeting.openedAt?.toISOString() ?? null,
    adjournedAt: meeting.adjournedAt?.toISOString() ?? null,
    cancelledAt: meeting.cancelledAt?.toISOString() ?? null,
  };
}

export async function attendanceSlice(m: EntityManager, meeting: Meeting): Promise<{ attendance: AttendanceView[]; quorum: QuorumView }> {
  const rows = await m.find(Attendance, { where: { meetingId: meeting.id }, order: { checkedInAt: 'ASC' } });
  const labels = await householdLabels(
    m,
    rows.flatMap((r) => r.householdIds),
  );
  const attendance = rows.map((r): AttendanceView => ({
    id: r.id,
    userId: r.userId,
    displayName: r.displayName,
    householdIds: r.householdIds,
    householdLabels: r.householdIds.map((id) => labels.get(id) ?? ''),
    method: r.method,
    registeredBy: r.registeredBy,
    checkedInAt: r.checkedInAt.toISOString(),
  }));
  return { attendance, quorum: await quorum(m, meeting, new Set(rows.flatMap((r) => r.householdIds))) };
}

/** Households present against the eligible ones, by count, floor area and owners by head. */
async function quorum(m: EntityManager, meeting: Meeting, presentIds: Set<string>): Promise<QuorumView> {
  const electorate = await eligibleHouseholds(m, meeting);
  const eligible = electorateTotals(electorate);
  const present = electorate.filter((h) => presentIds.has(h.id));
  const groups = headGroups(electorate);
  const presentCount = {
    households: present.length,
    areaCentiM2: present.reduce((sum, h) => sum + h.areaCentiM2, 0),
    heads: new Set(present.map((h) => groups.get(h.id))).size,
  };
  const p = participation(eligible, presentCount);
  return { rule: meeting.rule, eligible, present: presentCount, areaMet: p.areaMet, headsMet: p.headsMet, met: p.met };
}

/** The households whose owners decide in this meeting: the compound's, or those of the buildings concerned. */
export async function eligibleHouseholds(m: EntityManager, meeting: Meeting): Promise<ElectorateHousehold[]> {
  const rows: Array<{ id: string; area: number; developer_held: boolean; owner_ids: string[] }> = await m.query(
    `SELECT h.id, h.area_centi_m2 AS area, h.developer_held,
            coalesce(array_agg(ho.owner_id) FILTER (WHERE ho.owner_id IS NOT NULL), '{}') AS owner_ids
     FROM household h LEFT JOIN household_owner ho ON ho.household_id = h.id
     WHERE h.compound_id = $1 AND (cardinality($2::uuid[]) = 0 OR h.building_id = ANY($2::uuid[]))
     GROUP BY h.id`,
    [meeting.compoundId, meeting.buildingIds],
  );
  return rows.map((r) => ({ id: r.id, areaCentiM2: r.area, developerHeld: r.developer_held, ownerIds: r.owner_ids }));
}

export async function speakersSlice(m: EntityManager, meetingId: string): Promise<SpeakersView> {
  const rows = await m.find(Speaker, {
    where: [
      { meetingId, status: 'waiting' },
      { meetingId, status: 'speaking' },
    ],
    order: { position: 'ASC' },
  });
  const speaking = rows.find((r) => r.status === 'speaking');
  return {
    queue: rows
      .filter((r) => r.status === 'waiting')
      .map((r) => ({ id: r.id, userId: r.userId, displayName: r.displayName, raisedAt: r.raisedAt.toISOString() })),
    floor: speaking
      ? {
          turnId: speaking.id,
          userId: speaking.userId,
          displayName: speaking.displayName,
          startedAt: speaking.startedAt!.toISOString(),
          endsAt: speaking.endsAt?.toISOString() ?? null,
          timeLimitS: speaking.timeLimitS,
        }
      : null,
  };
}

export function chatView(c: ChatMessage, canSeeHidden: boolean): ChatMessageView {
  const hidden = c.hiddenAt !== null;
  return {
    id: c.id,
    clientMessageId: c.clientMessageId,
    userId: c.userId,
    displayName: c.displayName,
    body: hidden && !canSeeHidden ? null : c.body,
    hidden,
    sentAt: c.sentAt.toISOString(),
  };
}

export async function chatSlice(m: EntityManager, meetingId: string, canSeeHidden: boolean): Promise<ChatMessageView[]> {
  const rows = await m.find(ChatMessage, { where: { meetingId }, order: { sentAt: 'DESC' }, take: 200 });
  return rows.reverse().map((c) => chatView(c, canSeeHidden));
}
