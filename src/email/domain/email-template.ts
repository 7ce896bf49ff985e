/** What an email about a job event says (channel-neutral facts of the notice). */
export interface JobEmailFacts {
  event: string;
  jobId: string;
  jobType: string;
  status: string;
  attempt: number;
  at: Date;
  jobUrl: string;
  resultUrl: string | null;
  error: { message?: string; code?: string } | null;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const HEADLINES: Record<string, string> = {
  'job.complete': 'completed',
  'job.failed': 'failed an attempt',
  'job.dead': 'is dead (attempts exhausted)',
  'job.cancelled': 'was cancelled',
  'job.expired': 'expired before it started',
};

/** Plain text and HTML of one job event: the job's link, status and (when there is one) its error. */
export function renderJobEmail(facts: JobEmailFacts): RenderedEmail {
  const headline = HEADLINES[facts.event] ?? facts.status.toLowerCase();
  const subject = `[longhaul] Job ${facts.jobType} ${facts.jobId} ${headline} — ${facts.status}`;
  const error = facts.error?.message ? `${facts.error.code ? `${facts.error.code}: ` : ''}${facts.error.message}` : null;
  const lines: Array<[string, string]> = [
    ['Status', facts.status],
    ['Job', facts.jobUrl],
    ['Type', facts.jobType],
    ['Attempt', String(facts.attempt)],
    ['At', facts.at.toISOString()],
  ];
  if (error) lines.push(['Error', error]);
  if (facts.resultUrl) lines.push(['Result', facts.resultUrl]);

  const text = [`Job ${facts.jobId} ${headline}.`, '', ...lines.map(([label, value]) => `${label}: ${value}`), ''].join('\n');
  const rows = lines
    .map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${cell(label, value)}</td></tr>`)
    .join('');
  const html =
    `<!doctype html><html><body>` +
    `<p>Job <a href="${escapeHtml(facts.jobUrl)}">${escapeHtml(facts.jobId)}</a> ${escapeHtml(headline)}.</p>` +
    `<table>${rows}</table></body></html>`;
  return { subject, text, html };
}

function cell(label: string, value: string): string {
  const linked = (label === 'Job' || label === 'Result') && /^https?:\/\//.test(value);
  return linked ? `<a href="${escapeHtml(value)}">${escapeHtml(value)}</a>` : escapeHtml(value);
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
