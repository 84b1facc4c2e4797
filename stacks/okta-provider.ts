import type { TerraformStack } from 'cdktn';
import { OktaProvider } from './gen/okta/provider';
import type { OktaLayout } from '../src/synth/layout';
import { addBackend, type BackendSpec } from './backend';
import { setProviderVersion } from './util';

/**
 * How the okta provider rides out Okta's rate limits (docs/scale.md#staying-inside-the-api-quota).
 * Okta counts requests in one-minute buckets per endpoint (groups ~500-600/min, apps ~100/min per org);
 * max_api_capacity (a setting, default 50) is the percentage of each bucket the provider may use before it
 * waits for the bucket's reset itself. On a 429 it backs off exponentially from MIN_WAIT to MAX_WAIT
 * seconds: 30 s is half a bucket, and a wait never needs to be longer than two resets (120 s). Ten
 * retries span at least five bucket resets, enough for another client that drained the same bucket.
 */
export const OKTA_RATE_LIMIT = { backoff: true, maxRetries: 10, minWaitSeconds: 30, maxWaitSeconds: 120 } as const;

/** What every Okta stack starts with: its backend, the okta provider (backoff, retries, the rate-limit share) and its version constraint. */
export function addOktaBase(stack: TerraformStack, name: string, layout: { readonly provider: OktaLayout['provider']; readonly providerVersion: string }, backend: BackendSpec): void {
  addBackend(stack, name, backend);
  new OktaProvider(stack, 'okta', {
    orgName: layout.provider.orgName,
    baseUrl: layout.provider.baseUrl,
    maxApiCapacity: layout.provider.maxApiCapacity,
    ...OKTA_RATE_LIMIT,
  });
  setProviderVersion(stack, 'okta', 'okta/okta', layout.providerVersion);
}
