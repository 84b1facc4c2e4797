import type { TerraformStack } from 'cdktf';
import { OktaProvider } from '@cdktf/provider-okta/lib/provider';
import { OKTA_MAX_RETRIES, type OktaLayout } from '../src/synth/layout';
import { addBackend, type BackendSpec } from './backend';
import { setProviderVersion } from './util';

/** What every Okta stack starts with: its backend, the okta provider (backoff, retries, the rate-limit share) and its version constraint. */
export function addOktaBase(stack: TerraformStack, name: string, layout: { readonly provider: OktaLayout['provider']; readonly providerVersion: string }, backend: BackendSpec): void {
  addBackend(stack, name, backend);
  new OktaProvider(stack, 'okta', {
    orgName: layout.provider.orgName,
    baseUrl: layout.provider.baseUrl,
    maxApiCapacity: layout.provider.maxApiCapacity,
    backoff: true,
    maxRetries: OKTA_MAX_RETRIES,
  });
  setProviderVersion(stack, 'okta', 'okta/okta', layout.providerVersion);
}
