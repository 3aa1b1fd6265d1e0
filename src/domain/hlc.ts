// A hybrid logical clock (wall time + counter + node), as Actual Budget stamps its changes: it
// never runs backwards on one station even when the wall clock does, it moves past any remote
// timestamp it has seen, and its string form sorts in time order.

export interface HlcState {
  millis: number;
  counter: number;
  node: string;
}

const MAX_COUNTER = 0xffff;

export function hlcInit(node: string): HlcState {
  return { millis: 0, counter: 0, node };
}

export function hlcSend(state: HlcState, nowMs: number): HlcState {
  if (nowMs > state.millis) return { millis: nowMs, counter: 0, node: state.node };
  return bump({ ...state, counter: state.counter + 1 });
}

export function hlcReceive(state: HlcState, remote: string, nowMs: number): HlcState {
  const r = parseHlc(remote);
  const millis = Math.max(state.millis, r.millis, nowMs);
  let counter = 0;
  if (millis === state.millis && millis === r.millis) counter = Math.max(state.counter, r.counter) + 1;
  else if (millis === state.millis) counter = state.counter + 1;
  else if (millis === r.millis) counter = r.counter + 1;
  return bump({ millis, counter, node: state.node });
}

function bump(s: HlcState): HlcState {
  if (s.counter > MAX_COUNTER) throw new Error('hybrid clock counter overflow: the station clock is far behind');
  return s;
}

/** e.g. "2026-11-22T17:00:00.000Z-0001-<node>" */
export function formatHlc(s: HlcState): string {
  return `${new Date(s.millis).toISOString()}-${s.counter.toString(16).toUpperCase().padStart(4, '0')}-${s.node}`;
}

export function parseHlc(text: string): HlcState {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)-([0-9A-F]{4})-(.+)$/.exec(text);
  if (!m) throw new Error(`not a hybrid clock timestamp: ${text}`);
  const millis = Date.parse(m[1]!);
  if (Number.isNaN(millis)) throw new Error(`not a hybrid clock timestamp: ${text}`);
  return { millis, counter: parseInt(m[2]!, 16), node: m[3]! };
}
