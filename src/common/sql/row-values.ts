/** Readers for values of raw `query()` rows (pg returns timestamptz as Date; tolerate strings too). */
export const rowDate = (value: unknown): Date =>
  value instanceof Date ? value : new Date(String(value));

export const rowDateOrNull = (value: unknown): Date | null =>
  value == null ? null : rowDate(value);
