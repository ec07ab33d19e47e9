import { newerTally, type MyBallotView, type RoundView, type TallyView } from '@yishi/shared';
import { useEffect, useRef, useState } from 'react';
import { command, getSocket } from '../../lib/realtime';

export interface Followed {
  round: RoundView;
  tally: TallyView | null;
  mine: MyBallotView[];
}

/**
 * The rounds of a meeting's current proposal, kept live: `vote:rounds` when the room opens (and
 * after every reconnect), `vote:round` events as rounds open and close, and for the current
 * round `vote:follow` with its `vote:tally` events.
 */
export function useRound(meetingId: string, proposalId: string): { followed: Followed | null; refresh: () => void } {
  const [followed, setFollowed] = useState<Followed | null>(null);
  const reload = useRef<() => void>(() => undefined);

  useEffect(() => {
    const socket = getSocket();
    let current = true;
    let followedId: string | null = null;

    const follow = async (round: RoundView) => {
      if (followedId !== round.id) {
        if (followedId) socket.emit('vote:unfollow', { roundId: followedId }, () => undefined);
        followedId = round.id;
      }
      try {
        const r = await command('vote:follow', { roundId: round.id });
        if (current)
          setFollowed((f) => ({ round: r.round, tally: newerTally(f?.round.id === r.round.id ? f.tally : null, r.tally), mine: r.mine }));
      } catch {
        if (current) setFollowed({ round, tally: null, mine: [] });
      }
    };
    const load = async () => {
      try {
        const { rounds } = await command('vote:rounds', { meetingId });
        const latest = rounds.find((r) => r.proposalId === proposalId);
        if (!current) return;
        if (latest) await follow(latest);
        else setFollowed(null);
      } catch {
        // Shown as "no vote" until the next reconnect or event.
      }
    };
    const onRound = (r: RoundView) => {
      if (r.proposalId !== proposalId) return;
      if (r.id === followedId) setFollowed((f) => (f && f.round.id === r.id ? { ...f, round: r } : f));
      else void follow(r);
    };
    const onTally = (t: TallyView) => setFollowed((f) => (f && f.round.id === t.roundId ? { ...f, tally: newerTally(f.tally, t) } : f));
    const onConnect = () => void load();
    // Asks again without leaving the round: an unfollow racing the next follow on the server
    // could leave this socket out of the round's room, and its tallies would stop.
    reload.current = () => void load();

    socket.on('vote:round', onRound);
    socket.on('vote:tally', onTally);
    socket.on('connect', onConnect);
    if (socket.connected) void load();
    return () => {
      current = false;
      socket.off('vote:round', onRound);
      socket.off('vote:tally', onTally);
      socket.off('connect', onConnect);
      if (followedId) socket.emit('vote:unfollow', { roundId: followedId }, () => undefined);
    };
  }, [meetingId, proposalId]);

  return { followed, refresh: () => reload.current() };
}
