import { allows, type CommandName, type CommandPayload, formatAreaM2, type MeetingState, type Role } from '@yishi/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/alert';
import { formatDateTime } from '../../lib/format';
import { command } from '../../lib/realtime';
import { useAction } from '../../lib/use-action';
import { ProjectorLink } from '../projector/projector-link';

/** Runs a meeting command and keeps its refusal, in words, for the panel that sent it. */
export function useCommand() {
  const { act, error, busy } = useAction();
  const run = <C extends CommandName>(name: C, payload: CommandPayload<C>): Promise<boolean> => act(() => command(name, payload));
  return { run, error, busy };
}

function CommandError({ error }: { error: string | null }) {
  return error ? <Alert testId="command-error">{error}</Alert> : null;
}

export function AgendaPanel({ state, canRun }: { state: MeetingState; canRun: boolean }) {
  const { t } = useTranslation();
  const { run, error, busy } = useCommand();
  const agenda = state.meeting.agenda;
  return (
    <section className="card" aria-labelledby="agenda-h">
      <h2 id="agenda-h">{t('room.agenda')}</h2>
      {agenda.length === 0 ? (
        <p>{t('room.noAgenda')}</p>
      ) : (
        <ol className="agenda-list" data-testid="agenda">
          {agenda.map((item) => (
            <li
              key={item.id}
              aria-current={item.status === 'current' ? 'step' : undefined}
              data-testid={item.status === 'current' ? 'agenda-current' : undefined}
            >
              {item.title} {item.status === 'current' && <span className="status-tag">▶ {t('room.current')}</span>}
              {item.status === 'done' && <span className="muted">✓ {t('room.done')}</span>}
              {canRun && state.meeting.status === 'live' && item.status !== 'current' && (
                <>
                  {' '}
                  <button
                    type="button"
                    className="button-quiet"
                    disabled={busy}
                    onClick={() => void run('agenda:set-current', { meetingId: state.meeting.id, agendaItemId: item.id })}
                  >
                    {t('room.setCurrent')}
                  </button>
                </>
              )}
            </li>
          ))}
        </ol>
      )}
      <CommandError error={error} />
    </section>
  );
}

export function ChairConsole({ state }: { state: MeetingState }) {
  const { t } = useTranslation();
  const { run, error, busy } = useCommand();
  const m = state.meeting;
  const currentIndex = m.agenda.findIndex((a) => a.id === m.currentAgendaItemId);
  const next = m.agenda.find((a, i) => i > currentIndex && a.status !== 'done');
  return (
    <section className="card" aria-labelledby="chair-h" data-testid="chair-console">
      <h2 id="chair-h">{t('room.chair')}</h2>
      <div className="button-row">
        {m.status === 'scheduled' && (
          <button
            type="button"
            className="button-primary"
            disabled={busy}
            onClick={() => void run('meeting:open', { meetingId: m.id })}
            data-testid="meeting-open"
          >
            {t('room.open')}
          </button>
        )}
        {m.status === 'live' && next && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void run('agenda:set-current', { meetingId: m.id, agendaItemId: next.id })}
            data-testid="agenda-next"
          >
            {t('room.nextItem')}
          </button>
        )}
        {m.status === 'live' && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void run('meeting:adjourn', { meetingId: m.id })}
            data-testid="meeting-adjourn"
          >
            {t('room.adjourn')}
          </button>
        )}
      </div>
      <CommandError error={error} />
      <ProjectorLink compoundId={m.compoundId} meetingId={m.id} />
    </section>
  );
}

function percent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  return `${Math.floor((part * 1000) / whole) / 10}%`;
}

export function QuorumPanel({ state }: { state: Pick<MeetingState, 'quorum'> }) {
  const { t } = useTranslation();
  const q = state.quorum;
  const rows = [
    {
      label: t('room.households'),
      present: String(q.present.households),
      eligible: String(q.eligible.households),
      share: percent(q.present.households, q.eligible.households),
    },
    {
      label: t('room.area'),
      present: formatAreaM2(q.present.areaCentiM2),
      eligible: t('common.areaM2', { area: formatAreaM2(q.eligible.areaCentiM2) }),
      share: percent(q.present.areaCentiM2, q.eligible.areaCentiM2),
    },
    {
      label: t('room.heads'),
      present: String(q.present.heads),
      eligible: String(q.eligible.heads),
      share: percent(q.present.heads, q.eligible.heads),
    },
  ];
  return (
    <section className="card" aria-labelledby="quorum-h" data-testid="quorum">
      <h2 id="quorum-h">{t('room.quorum')}</h2>
      <dl className="facts">
        {rows.map((r) => (
          <div key={r.label}>
            <dt>{r.label}</dt>
            <dd>
              {t('room.of', { present: r.present, eligible: r.eligible })} <span className="muted">({r.share})</span>
            </dd>
          </div>
        ))}
      </dl>
      <p className={q.met ? 'quorum-met' : 'quorum-not-met'} data-testid="quorum-verdict">
        {q.met ? t('room.quorumMet') : t('room.quorumNotMet')}
      </p>
    </section>
  );
}

export function ParticipantsPanel({ state, userId }: { state: MeetingState; userId: string }) {
  const { t } = useTranslation();
  const checkedIn = state.attendance.some((a) => a.userId === userId);
  return (
    <section className="card" aria-labelledby="people-h">
      <h2 id="people-h">{t('room.participants')}</h2>
      {/* The check-in button itself is at the top of the room (NowCard), where it is seen first. */}
      {checkedIn && (
        <p className="quorum-met" data-testid="checked-in">
          {t('room.checkedIn')}
        </p>
      )}
      <p className="muted">{t('room.online', { n: state.presence.length })}</p>
      <ul className="plain-list" data-testid="presence">
        {state.presence.map((p) => (
          <li key={p.userId}>
            ● {p.displayName}{' '}
            <span className="muted">
              {p.roles.map((r) => t(`roles.${r}`)).join(t('home.listSeparator'))}
              {p.householdLabels.length ? ` · ${p.householdLabels.join(t('home.listSeparator'))}` : ''}
              {p.organisationName ? ` · ${p.organisationName}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The time now, ticking each second while `active` (a countdown runs). */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function mmss(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const LIMITS = [0, 60, 120, 180, 300];

export function SpeakersPanel({
  state,
  userId,
  roles,
  invited,
  clockOffsetMs,
}: {
  state: MeetingState;
  userId: string;
  roles: readonly Role[];
  /** Among those the meeting invites: only they raise a hand (the others follow). */
  invited: boolean;
  clockOffsetMs: number;
}) {
  const { t } = useTranslation();
  const { run, error, busy } = useCommand();
  const [limit, setLimit] = useState(120);
  const { floor, queue } = state.speakers;
  const now = useNow(Boolean(floor?.endsAt)) + clockOffsetMs;
  const live = state.meeting.status === 'live';
  const canRun = allows(roles, 'meeting.run');
  const mine = queue.find((s) => s.userId === userId);
  const id = state.meeting.id;
  const give = (speakerId?: string) => void run('floor:give', { meetingId: id, speakerId, timeLimitS: limit || undefined });
  const moveUp = (index: number) => {
    const order = queue.map((s) => s.id);
    const [above, moved] = [order[index - 1], order[index]];
    if (above === undefined || moved === undefined) return;
    [order[index - 1], order[index]] = [moved, above];
    void run('speakers:reorder', { meetingId: id, order });
  };

  return (
    <section className="card" aria-labelledby="speakers-h" data-testid="speakers">
      <h2 id="speakers-h">{t('room.speakers')}</h2>
      {floor ? (
        <p data-testid="floor">
          <strong>{t('room.floor', { name: floor.displayName })}</strong>{' '}
          {/* The meeting sets this limit: the countdown is read out only when asked (no live region ticking). */}
          <span className="countdown">
            {floor.endsAt ? t('room.timeLeft', { time: mmss(Date.parse(floor.endsAt) - now) }) : t('room.noLimit')}
          </span>
        </p>
      ) : (
        <p>{t('room.noFloor')}</p>
      )}
      {canRun && floor && live && (
        <button type="button" disabled={busy} onClick={() => void run('floor:end', { meetingId: id })} data-testid="floor-end">
          {t('room.endFloor')}
        </button>
      )}
      <h3>{t('room.queue')}</h3>
      {queue.length === 0 ? (
        <p>{t('room.emptyQueue')}</p>
      ) : (
        <ol className="agenda-list" data-testid="speaker-queue">
          {queue.map((s, i) => (
            <li key={s.id}>
              {s.displayName}
              {canRun && live && (
                <span className="button-row">
                  <button type="button" className="button-quiet" disabled={busy} onClick={() => give(s.id)}>
                    {t('room.give', { name: s.displayName })}
                  </button>
                  {i > 0 && (
                    <button
                      type="button"
                      className="button-quiet"
                      disabled={busy}
                      aria-label={t('room.moveUp', { name: s.displayName })}
                      onClick={() => moveUp(i)}
                    >
                      ↑
                    </button>
                  )}
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
      {canRun && live && (
        <div className="button-row">
          <label className="field">
            <span className="block">{t('room.timeLimit')}</span>
            <select value={limit} onChange={(e) => setLimit(Number(e.target.value))} data-testid="time-limit">
              {LIMITS.map((l) => (
                <option key={l} value={l}>
                  {l === 0 ? t('room.limitNone') : t('room.limitMin', { n: l / 60 })}
                </option>
              ))}
            </select>
          </label>
          {queue.length > 0 && (
            <button type="button" disabled={busy} onClick={() => give()} data-testid="floor-give-next">
              {t('room.giveNext')}
            </button>
          )}
        </div>
      )}
      {allows(roles, 'meeting.speak') && invited && live && (
        <p>
          {mine ? (
            <button type="button" disabled={busy} onClick={() => void run('hand:lower', { meetingId: id })} data-testid="hand-lower">
              {t('room.lowerHand')}
            </button>
          ) : (
            <button
              type="button"
              className="button-primary"
              disabled={busy || floor?.userId === userId}
              onClick={() => void run('hand:raise', { meetingId: id })}
              data-testid="hand-raise"
            >
              {t('room.raiseHand')}
            </button>
          )}
        </p>
      )}
      <CommandError error={error} />
    </section>
  );
}

export function ChatPanel({ state, roles, invited }: { state: MeetingState; roles: readonly Role[]; invited: boolean }) {
  const { t } = useTranslation();
  const { run, error, busy } = useCommand();
  const [body, setBody] = useState('');
  const canChat = invited && allows(roles, 'meeting.chat');
  const canHide = allows(roles, 'chat.moderate');

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const text = body.trim();
    if (!text) return;
    if (await run('chat:send', { meetingId: state.meeting.id, clientMessageId: crypto.randomUUID(), body: text })) setBody('');
  };

  return (
    <section className="card" aria-labelledby="chat-h">
      <h2 id="chat-h">{t('room.chat')}</h2>
      {state.chat.length === 0 ? (
        <p>{t('room.chatEmpty')}</p>
      ) : (
        <ul className="chat-log" data-testid="chat-log" aria-live="polite">
          {state.chat.map((m) => (
            <li key={m.id}>
              <strong>{m.displayName}</strong> <span className="muted">{formatDateTime(m.sentAt)}</span>
              <span className="block">{m.hidden && !m.body ? t('room.hidden') : m.body}</span>
              {canHide && !m.hidden && (
                <button
                  type="button"
                  className="button-quiet"
                  aria-label={t('room.hideNamed', { name: m.displayName })}
                  onClick={() => void run('chat:hide', { meetingId: state.meeting.id, messageId: m.id })}
                >
                  {t('room.hide')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canChat && state.meeting.status === 'live' && (
        <form className="chat-form" onSubmit={send}>
          <div className="field">
            <label htmlFor="chat-input">{t('room.chatLabel')}</label>
            <input id="chat-input" value={body} maxLength={1000} onChange={(e) => setBody(e.target.value)} data-testid="chat-input" />
          </div>
          <button type="submit" disabled={busy || !body.trim()} data-testid="chat-send">
            {t('room.send')}
          </button>
        </form>
      )}
      <CommandError error={error} />
    </section>
  );
}
