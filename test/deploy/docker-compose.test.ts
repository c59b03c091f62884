import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema, loadConfig } from '../../src/config.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { workerNodeArgs } from '../../src/worker/node-args.js';

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
  const compose = parse(readFileSync(`${PROJECT_ROOT}/docker-compose.yml`, 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
  };
  const services = compose.services;

  it('has the cluster: Temporal on Postgres, its UI, Redis, the simulator, workers, the dashboard', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'client',
        'dashboard',
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
    // Two worker replicas, the client and the dashboard: one ledger, on PostgreSQL (an SQLite file each would split it).
    for (const name of ['worker', 'client', 'scheduler', 'dashboard'])
      expect(services[name]!.environment!.DATABASE_URL, name).toMatch(/^postgres:\/\/.*@postgresql:5432\//);
    expect(services.dashboard!.environment!.DASHBOARD_HOST).toBe('0.0.0.0');
    expect(services.dashboard!.environment!.DASHBOARD_TOKEN).toBe('${DASHBOARD_TOKEN:-}');
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

  it('launches the worker with the heap flags of src/worker/node-args.ts, spelled nowhere else', () => {
    const scripts = (
      JSON.parse(readFileSync(`${PROJECT_ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    const launch = 'exec node $(node dist/worker-node-args.js) dist/worker.js';
    const dockerfile = readFileSync(`${PROJECT_ROOT}/Dockerfile`, 'utf8');
    expect(scripts.worker).toContain(launch);
    expect(dockerfile).toContain(launch);
    for (const text of [scripts.worker!, dockerfile])
      expect(text).not.toMatch(/max-old-space-size|max-semi-space/);
    expect(workerNodeArgs(envSchema.shape.WORKER_HEAP_MB.parse(undefined))).toEqual([
      '--max-old-space-size=192',
      '--max-semi-space-size=4',
    ]);
  });

  it('runs compiled entry points, from an image without dev dependencies', () => {
    const dockerfile = readFileSync(`${PROJECT_ROOT}/Dockerfile`, 'utf8');
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/COPY --from=build \/app\/dist/);
    for (const name of ['simulator', 'scheduler', 'client']) {
      const service = services[name]!;
      const command = [service.command, (service as { entrypoint?: string[] }).entrypoint]
        .flat()
        .filter(Boolean)
        .join(' ');
      expect(command, name).toMatch(/^node dist\/(sim|client)\.js/);
      expect(command, name).not.toMatch(/npm|tsx/);
    }
  });
});
