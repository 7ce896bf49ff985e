// Number formatting and Markdown tables (padded, so they read as well in a terminal as in a file).

export function num(value, digits = 1) {
  if (!Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function table(headers, rows) {
  const cells = rows.map((row) => row.map((cell) => String(cell ?? '—').replace(/\|/g, '\\|').replace(/\n/g, ' ')));
  const widths = headers.map((header, i) => Math.max(header.length, ...cells.map((row) => row[i].length)));
  const line = (row) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
