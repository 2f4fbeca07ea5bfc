/**
 * The Pushgateway URL path for a job and grouping labels: `/metrics/job/<job>/<label>/<value>…`.
 * A value with a `/` (or an empty one) cannot sit in a path segment, so it takes the
 * Pushgateway's base64 form, `<label>@base64/<base64url>` (`=` for empty), as its README says.
 */
export function pushgatewayPath(job: string, grouping: Readonly<Record<string, string>>): string {
  let path = `/metrics/${segment('job', job)}`;
  for (const [label, value] of Object.entries(grouping)) path += `/${segment(label, value)}`;
  return path;
}

function segment(label: string, value: string): string {
  if (value === '') return `${label}@base64/=`;
  if (value.includes('/')) return `${label}@base64/${Buffer.from(value, 'utf8').toString('base64url')}`;
  return `${label}/${encodeURIComponent(value)}`;
}
