import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeRedis,
  createRedisClient,
  redisAnswers,
  whenRedisReady,
} from '../../src/storage/redis-connection.js';
import { loadConfig, redisTls } from '../../src/config.js';
import { spawnOwned, waitForLine, type OwnedProcess } from '../../src/launcher/child-process.js';
import { freeLoopbackPort } from '../../src/worker/temporal-runtime.js';
import { CHAOS_LOGS } from '../chaos/harness.js';

/** A private CA and a server certificate for 127.0.0.1, made with openssl. */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const at = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=scanner-test-ca',
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=localhost',
  );
  writeFileSync(at('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '1',
    '-extfile',
    'ext.cnf',
  );
  return { ca: at('ca.pem'), cert: at('server.pem'), key: at('server.key') };
}

/** rediss:// end to end: a real redis-server speaking TLS only, its certificate signed by our own CA. */
describe('Redis over TLS (rediss:// with REDIS_TLS_CA)', () => {
  let server: OwnedProcess;
  let url: string;
  let ca: string;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'redis-tls-'));
    const files = makeCertificates(dir);
    ca = files.ca;
    const port = await freeLoopbackPort();
    url = `rediss://127.0.0.1:${port}`;
    server = spawnOwned(
      `redis-tls-${port}`,
      'redis-server',
      [
        ...[
          '--port',
          '0',
          '--tls-port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        ...[
          '--tls-cert-file',
          files.cert,
          '--tls-key-file',
          files.key,
          '--tls-ca-cert-file',
          files.ca,
          '--tls-auth-clients',
          'no',
        ],
      ],
      { logDir: CHAOS_LOGS },
    );
    await waitForLine(server, /Ready to accept connections/, 10_000);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("the product's Redis client connects and answers with the configured CA", async () => {
    const config = loadConfig({}, { REDIS_URL: url, REDIS_TLS_CA: ca }, { requireExchangeUrl: false });
    await redisAnswers(config.REDIS_URL, redisTls(config));
    const redis = createRedisClient(config.REDIS_URL, redisTls(config));
    try {
      await whenRedisReady(redis, 5_000);
      await redis.set('scanner:tls-check', 'ok');
      expect(await redis.get('scanner:tls-check')).toBe('ok');
    } finally {
      await closeRedis(redis);
    }
  });

  it('refuses a server its CA did not vouch for (without REDIS_TLS_CA, the system roots do not know ours)', async () => {
    const config = loadConfig({}, { REDIS_URL: url }, { requireExchangeUrl: false });
    await expect(redisAnswers(config.REDIS_URL, redisTls(config))).rejects.toThrow(
      /self[- ]signed|unable to verify|certificate/i,
    );
  });
});
