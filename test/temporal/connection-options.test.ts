import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { temporalConnectionOptions } from '../../src/temporal/connection-options.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tls-'));
const file = (name: string, text: string) => {
  writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};
const ca = file('ca.pem', 'CA');
const cert = file('client.pem', 'CERT');
const key = file('client.key', 'KEY');
const config = (env: Record<string, string>) => loadConfig({}, env, { requireExchangeUrl: false });

describe('TLS and API key options for Temporal (and Redis)', () => {
  it('plain by default: the SDK decides nothing for us', () => {
    expect(temporalConnectionOptions(config({}))).toEqual({ address: '127.0.0.1:7233' });
  });

  it('mTLS with a private CA and a server name, read from the files', () => {
    const options = temporalConnectionOptions(
      config({
        TEMPORAL_TLS_CA: ca,
        TEMPORAL_TLS_CERT: cert,
        TEMPORAL_TLS_KEY: key,
        TEMPORAL_TLS_SERVER_NAME: 'tmprl',
      }),
    );
    expect(options.tls).toEqual({
      serverRootCACertificate: Buffer.from('CA'),
      clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') },
      serverNameOverride: 'tmprl',
    });
  });

  it('an API key (TLS left to the SDK, which turns it on) or with TLS forced off or on', () => {
    expect(temporalConnectionOptions(config({ TEMPORAL_API_KEY: 'k' }))).toEqual({
      address: '127.0.0.1:7233',
      apiKey: 'k',
    });
    expect(temporalConnectionOptions(config({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'off' })).tls).toBe(false);
    expect(temporalConnectionOptions(config({ TEMPORAL_TLS: 'on' })).tls).toBe(true);
  });

  it.each([
    [{ TEMPORAL_TLS_CERT: cert }, 'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: give both (mTLS) or neither'],
    [{ TEMPORAL_TLS_CA: path.join(dir, 'missing.pem') }, 'TEMPORAL_TLS_CA: no readable file at that path'],
    [
      { TEMPORAL_TLS: 'off', TEMPORAL_TLS_CA: ca },
      'TEMPORAL_TLS: off, but TLS files or a server name are set',
    ],
    [{ TEMPORAL_TLS: 'maybe' }, 'TEMPORAL_TLS: Invalid option: expected one of "auto"|"on"|"off"'],
    [{ REDIS_TLS_CA: ca }, 'REDIS_TLS_CA: needs a rediss:// REDIS_URL'],
  ])('refuses %j in one line', (env, message) => {
    expect(() => config(env)).toThrow(message);
  });

  it('accepts rediss:// with its own CA', () => {
    expect(config({ REDIS_URL: 'rediss://:pw@cache.example:6380', REDIS_TLS_CA: ca }).REDIS_TLS_CA).toBe(ca);
  });
});
