/** The RFC 7240 preferences longhaul honours on submissions. */
export interface AsyncPreferences {
  /** `respond-async`: answer 202 at once. */
  respondAsync: boolean;
  /** `wait=N`: the client would rather wait up to N seconds for the outcome; null when not asked. */
  waitSeconds: number | null;
}

const DELTA_SECONDS = /^\d{1,10}$/;

/**
 * Reads `Prefer` headers (several, or one comma-separated list). Names are case-insensitive, values may
 * be quoted, parameters after `;` are ignored; a preference that is not understood is ignored, as RFC
 * 7240 asks. The first occurrence of a preference wins.
 */
export function parsePrefer(header: string | readonly string[] | undefined): AsyncPreferences {
  const preferences: AsyncPreferences = { respondAsync: false, waitSeconds: null };
  const seen = new Set<string>();
  for (const item of (Array.isArray(header) ? header : [header ?? '']).flatMap((value: string) => value.split(','))) {
    const [token] = item.split(';');
    const at = token.indexOf('=');
    const name = (at < 0 ? token : token.slice(0, at)).trim().toLowerCase();
    const value = at < 0 ? null : token.slice(at + 1).trim().replace(/^"(.*)"$/, '$1');
    if (!name || seen.has(name)) continue;
    seen.add(name);
    if (name === 'respond-async') preferences.respondAsync = true;
    if (name === 'wait' && value !== null && DELTA_SECONDS.test(value)) preferences.waitSeconds = Number(value);
  }
  return preferences;
}

/** The Preference-Applied value for what the server did (null: nothing to say). */
export function preferenceApplied(preferences: AsyncPreferences, waitedSeconds: number | null): string | null {
  const applied = [
    ...(preferences.respondAsync ? ['respond-async'] : []),
    ...(waitedSeconds !== null ? [`wait=${waitedSeconds}`] : []),
  ];
  return applied.length > 0 ? applied.join(', ') : null;
}
