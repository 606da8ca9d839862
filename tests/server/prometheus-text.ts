/**
 * The value of one sample in Prometheus text exposition format, or undefined when absent. `labels` must match
 * exactly the sample's label set (order-independent).
 */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').match(/[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"/g) ?? [];
    if ([...have].sort().join(',') === wanted) return Number(match[3]);
  }
  return undefined;
}

/** Scrapes until `done(text)` holds (metrics of a turn's tail may land just after the reply), or fails. */
export async function waitForMetrics(
  scrape: () => Promise<string>,
  done: (text: string) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await scrape();
    if (done(text)) return text;
    if (Date.now() > deadline) throw new Error(`waitForMetrics(): timed out waiting for ${what}; last scrape:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
