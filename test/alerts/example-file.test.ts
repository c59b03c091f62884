import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';

describe('alerts.example.yaml (the README points at it)', () => {
  it('is a valid alerts file: four destinations, their filters, secrets from the environment', () => {
    const env = {
      ALERTS_FILE: path.join(PROJECT_ROOT, 'alerts.example.yaml'),
      TELEGRAM_BOT_TOKEN: '123:abc',
      DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/1/x',
      SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/x',
      ALERT_WEBHOOK_SECRET: 's3cret',
    };
    const { alerts } = loadConfig(env, {}, { requireExchangeUrl: false });
    expect(alerts.lateAfterMs).toBe(600_000);
    expect(alerts.giveUpAfterMs).toBe(86_400_000);
    expect(alerts.destinations.map((d) => [d.name, d.type, d.minIntervalMs])).toEqual([
      ['desk', 'telegram', 3_300],
      ['ops', 'discord', 440],
      ['team', 'slack', 1_100],
      ['bot', 'webhook', 0],
    ]);
    expect(alerts.destinations[0]).toMatchObject({
      botToken: '123:abc',
      minScore: 60,
      chatId: '-1001234567890',
    });
    expect(() => loadConfig({ ...env, SLACK_WEBHOOK_URL: '' }, {}, { requireExchangeUrl: false })).toThrow(
      /^ALERTS_FILE: destinations\[2\] \(team\): webhookUrl: SLACK_WEBHOOK_URL is not set$/,
    );
  });
});
