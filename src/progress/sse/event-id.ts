/**
 * SSE event ids are `<transitionId>-<progressVersion>`: the id of the last status transition the
 * client has (job_transitions.id) and the version of the last progress value it has. Both parts only
 * grow, so ids are monotonic per job, and a Last-Event-ID says exactly what the client missed.
 */
export interface EventCursor {
  transitionId: number;
  progressVersion: number;
}

const EVENT_ID = /^(\d{1,15})-(\d{1,15})$/;

export function formatEventId(cursor: EventCursor): string {
  return `${cursor.transitionId}-${cursor.progressVersion}`;
}

/** null for a missing or foreign id: the client then gets a fresh snapshot. */
export function parseEventId(raw: string | string[] | undefined): EventCursor | null {
  const value = Array.isArray(raw) ? raw[0] : raw;
  const match = value === undefined ? null : EVENT_ID.exec(value.trim());
  if (!match) return null;
  return { transitionId: Number(match[1]), progressVersion: Number(match[2]) };
}
