/**
 * Destinations for tests, parsed as the worker parses ALERTS (so each has
 * its defaults), with made-up secrets in a private environment.
 */
import { type AlertsConfig, parseAlerts } from '../../src/alerts/destinations.js';

export const TEST_SECRETS = {
  TEST_BOT_TOKEN: '123456:TEST-token-never-logged',
  TEST_DISCORD_URL: 'http://127.0.0.1:9/api/webhooks/1/discord-token-never-logged',
  TEST_SLACK_URL: 'http://127.0.0.1:9/services/T0/B0/slack-token-never-logged',
  TEST_HMAC: 'hmac-secret-never-logged',
};

/** The alerts configuration of `document` (the shape of an alerts file), with TEST_SECRETS and `env` as the environment. */
export function testAlerts(document: unknown, env: Record<string, string> = {}): AlertsConfig {
  return parseAlerts(document, { ...TEST_SECRETS, ...env }, 'ALERTS');
}

/** A webhook destination named `name`, with `extra` fields (filters). */
export function webhookEntry(name: string, extra: Record<string, unknown> = {}) {
  return { name, type: 'webhook', url: 'http://127.0.0.1:9/hook', secret: '${TEST_HMAC}', ...extra };
}
