import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema, loadConfig } from '../../src/config.js';
import { PROJECT_ROOT } from '../../src/project-root.js';
import { workerNodeArgs } from '../../src/runtime/worker-node-args.js';

interface Service {
  image?: string;
  build?: string;
  command?: string[] | string;
  ports?: string[];
  expose?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
}

/** Docker does not run here: the compose file is checked against the code instead. */
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(`${PROJECT_ROOT}/docker-compose.yml`, 'utf8')) as {
    services: Record<string, Service>;
  };
  const services = compose.services;

  it('has the cluster: Temporal on Postgres, its UI, Redis, the simulator, workers', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'client',
        'postgresql',
        'redis',
        'scheduler',
        'simulator',
        'temporal',
        'temporal-admin-tools',
        'temporal-create-namespace',
        'temporal-ui',
        'worker',
      ].sort(),
    );
    expect(services.temporal!.image).toMatch(/^temporalio\/server:\d+\.\d+\.\d+$/);
    expect(services['temporal-admin-tools']!.image).toMatch(/^temporalio\/admin-tools:/);
    expect(services['temporal-ui']!.image).toMatch(/^temporalio\/ui:/);
    expect(Object.values(services).some((s) => s.image?.includes('auto-setup'))).toBe(false);
    expect(services.temporal!.environment!.DB).toBe('postgres12');
    expect(services.temporal!.ports).toContain('7233:7233');
    expect(services['temporal-ui']!.ports).toContain('8080:8080');
    expect(services.worker!.deploy!.replicas).toBeGreaterThan(1);
  });

  it('gives workers and the scheduler a configuration the worker accepts', () => {
    for (const name of ['worker', 'scheduler', 'client']) {
      const env = Object.fromEntries(
        Object.entries(services[name]!.environment!).map(([k, v]) => [k, String(v)]),
      );
      for (const key of Object.keys(env))
        expect(Object.keys(envSchema.shape), `${name}: ${key}`).toContain(key);
      const config = loadConfig(env, {});
      expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(new URL(config.REDIS_URL).hostname).toBe('redis');
      expect(new URL(config.EXCHANGE_URL!).hostname).toBe('simulator');
    }
  });

  it('points the workers at services that exist, on the ports they listen on', () => {
    const env = services.worker!.environment!;
    const simulatorPort = new URL(String(env.EXCHANGE_URL)).port;
    expect(services.simulator!.command).toEqual(
      expect.arrayContaining(['--port', simulatorPort, '--host', '0.0.0.0']),
    );
    expect(services.simulator!.expose).toContain(simulatorPort);
    expect(Object.keys(services.worker!.depends_on!)).toEqual(
      expect.arrayContaining(['redis', 'simulator', 'temporal-create-namespace']),
    );
    expect(services.worker!.command).toBeUndefined(); // the image's CMD: the compiled worker
    for (const [name, service] of Object.entries(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {}))
        expect(services, `${name} → ${dependency}`).toHaveProperty(dependency);
    }
  });

  it('mounts setup scripts that exist', () => {
    for (const file of [
      'deploy/temporal/setup-postgres.sh',
      'deploy/temporal/create-namespace.sh',
      'deploy/temporal/dynamicconfig/development-sql.yaml',
    ]) {
      expect(() => readFileSync(`${PROJECT_ROOT}/${file}`)).not.toThrow();
    }
  });

  it('launches the worker with the same heap flags everywhere', () => {
    const flags = workerNodeArgs(192).join(' ').replace('=192', '=${WORKER_HEAP_MB:-192}');
    const scripts = (
      JSON.parse(readFileSync(`${PROJECT_ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    expect(scripts.worker).toContain(`node ${flags} dist/worker.js`);
    expect(readFileSync(`${PROJECT_ROOT}/Dockerfile`, 'utf8')).toContain(`exec node ${flags} dist/worker.js`);
    expect(envSchema.shape.WORKER_HEAP_MB.parse(undefined)).toBe(192);
  });
});
