import { describe, expect, it } from 'vitest';
import { RUN_FLAGS, parseDuration, parseRunConfig, runUsage, type RunConfig } from '../../src/cli/config.js';
import { UsageError } from '../../src/cli/usage-error.js';

function config(argv: string[], env: Record<string, string> = {}): RunConfig {
  const parsed = parseRunConfig(argv, env);
  if (parsed.help) throw new Error('unexpected help');
  return parsed.config;
}

function usageError(argv: string[], env: Record<string, string> = {}): string {
  try {
    parseRunConfig(argv, env);
  } catch (err: unknown) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('run configuration', () => {
  it('has controller-runtime defaults', () => {
    const c = config([], {});
    expect(c.metricsBindAddress).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(c.healthProbeBindAddress).toEqual({ host: '0.0.0.0', port: 8081 });
    expect(c.leaderElection).toMatchObject({
      enabled: true,
      name: 'kv-rollover-leader',
      namespace: 'default',
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
    });
    expect(c.backoff).toEqual({ baseMs: 5, maxMs: 1_000_000, qps: 10, burst: 100 });
    expect(c.namespaces).toBeUndefined();
    expect(c.azure.resourceManagerEndpoint).toBe('https://management.azure.com');
    expect(c.logLevel).toBe('info');
    expect(c.kubeconfig).toBeUndefined();
  });

  it('takes flags over env over defaults, in both --flag=value and --flag value forms', () => {
    const env = {
      KVROLLOVER_MAX_CONCURRENT_RECONCILES: '8',
      KVROLLOVER_NAMESPACES: 'team-a, team-b',
      POD_NAME: 'op-0',
      KVROLLOVER_LOG_LEVEL: 'debug',
    };
    const c = config(
      ['--max-concurrent-reconciles', '3', '--leader-elect=false', '--metrics-bind-address=127.0.0.1:9090'],
      env,
    );
    expect(c.concurrency).toBe(3);
    expect(c.namespaces).toEqual(['team-a', 'team-b']);
    expect(c.leaderElection.enabled).toBe(false);
    expect(c.leaderElection.identity).toBe('op-0');
    expect(c.metricsBindAddress).toEqual({ host: '127.0.0.1', port: 9090 });
    expect(c.logLevel).toBe('debug');
    expect(config(['--leader-elect']).leaderElection.enabled).toBe(true);
    expect(config(['--health-probe-bind-address', '0']).healthProbeBindAddress).toBeUndefined();
  });

  it('selects sovereign clouds by name and ASO-style endpoint overrides', () => {
    expect(config(['--azure-cloud', 'china']).azure.resourceManagerEndpoint).toBe(
      'https://management.chinacloudapi.cn',
    );
    expect(config([], { AZURE_CLOUD: 'usgov' }).azure.authorityHost).toBe('https://login.microsoftonline.us');
    const custom = config([], {
      AZURE_RESOURCE_MANAGER_ENDPOINT: 'https://arm.contoso.example/',
      AZURE_RESOURCE_MANAGER_AUDIENCE: 'https://arm-audience.contoso.example',
    }).azure;
    expect(custom).toMatchObject({
      resourceManagerEndpoint: 'https://arm.contoso.example',
      resourceManagerAudience: 'https://arm-audience.contoso.example',
    });
  });

  it('names the flag (and the env var it came from) in every error', () => {
    expect(usageError(['--reconcile-timeout', 'soon'])).toMatch(/--reconcile-timeout: expected a duration/);
    expect(usageError([], { KVROLLOVER_RESYNC_PERIOD: '5 minutes' })).toMatch(
      /--resync-period \(from KVROLLOVER_RESYNC_PERIOD\)/,
    );
    expect(usageError(['--max-concurrent-reconciles=0'])).toMatch(
      /--max-concurrent-reconciles: expected an integer from 1/,
    );
    expect(usageError(['--leader-elect-renew-deadline=20s'])).toMatch(
      /--leader-elect-renew-deadline: must be shorter than --leader-elect-lease-duration/,
    );
    expect(usageError(['--leader-elect-retry-period=10s'])).toMatch(
      /--leader-elect-retry-period: must be shorter/,
    );
    expect(usageError(['--namespaces', 'Team_A'])).toMatch(/--namespaces: 'Team_A' is not a valid namespace/);
    expect(usageError(['--log-level', 'loud'])).toMatch(/--log-level: expected one of/);
    expect(usageError(['--azure-cloud', 'mars'])).toMatch(/--azure-cloud: unknown Azure cloud/);
    expect(usageError(['--azure-resource-manager-endpoint', 'http://arm.local'])).toMatch(
      /--azure-resource-manager-endpoint: .*https/,
    );
    expect(usageError(['--metrics-bind-address', 'localhost'])).toMatch(
      /--metrics-bind-address: expected host:port/,
    );
    expect(usageError(['--leader-elect=maybe'])).toMatch(/--leader-elect: expected true or false/);
    expect(usageError(['--frobnicate'])).toMatch(/unknown flag --frobnicate/);
    expect(usageError(['--concurrency'])).toMatch(/unknown flag --concurrency/);
    expect(usageError(['--log-level'])).toMatch(/--log-level needs a value/);
  });

  it('prints every flag, its default and env var in --help', () => {
    expect(parseRunConfig(['--help'], {})).toEqual({ help: true });
    const usage = runUsage();
    for (const f of RUN_FLAGS) {
      expect(usage).toContain(`--${f.flag}`);
      for (const e of f.env) expect(usage).toContain(e);
    }
  });

  it('parses Go-style durations', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('5 m')).toBeUndefined();
    expect(parseDuration('-1s')).toBeUndefined();
  });
});
