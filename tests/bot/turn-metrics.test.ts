import { TestAdapter } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { TurnMetricsMiddleware } from '../../src/bot/turn-metrics.middleware.js';
import { AppMetrics } from '../../src/metrics/app-metrics.js';
import { metricValue } from '../server/prometheus-text.js';

describe('TurnMetricsMiddleware with AppMetrics', () => {
  it('counts answered turns as ok and thrown turns as errors, while onTurnError still answers the seller', async () => {
    const metrics = new AppMetrics({ openStreams: () => 0, queueLength: async () => 0 });
    const errors: string[] = [];
    const adapter = new TestAdapter(async (context) => {
      if (context.activity.text === 'boom') throw new Error('dialog failed');
      await context.sendActivity(`echo ${context.activity.text}`);
    });
    adapter.use(new TurnMetricsMiddleware(metrics));
    adapter.onTurnError = async (context, error) => {
      errors.push(error.message);
      await context.sendActivity('sorry');
    };

    await adapter.send('hi').assertReply('echo hi').send('boom').assertReply('sorry').send('again').assertReply('echo again');

    const text = (await metrics.scrape()).body;
    expect(metricValue(text, 'cxtbot_turns_total', { channel: 'test', type: 'message', outcome: 'ok' })).toBe(2);
    expect(metricValue(text, 'cxtbot_turns_total', { channel: 'test', type: 'message', outcome: 'error' })).toBe(1);
    expect(metricValue(text, 'cxtbot_turn_duration_seconds_count', { channel: 'test' })).toBe(3);
    expect(metricValue(text, 'cxtbot_errors_total', { source: 'turn' })).toBe(1);
    expect(errors).toEqual(['dialog failed']);
  });

  it('keeps each app instance in its own registry', async () => {
    const first = new AppMetrics({ openStreams: () => 1, queueLength: async () => 2 });
    const second = new AppMetrics({ openStreams: () => 5, queueLength: async () => 0 });
    first.error('http');
    const a = (await first.scrape()).body;
    const b = (await second.scrape()).body;
    expect(metricValue(a, 'cxtbot_errors_total', { source: 'http' })).toBe(1);
    expect(metricValue(b, 'cxtbot_errors_total', { source: 'http' })).toBe(0);
    expect(metricValue(a, 'cxtbot_directline_open_streams')).toBe(1);
    expect(metricValue(b, 'cxtbot_directline_open_streams')).toBe(5);
    expect(metricValue(a, 'cxtbot_handoff_queue_length')).toBe(2);
  });
});
