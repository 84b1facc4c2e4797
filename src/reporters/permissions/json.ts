import { ACCESS_LEVELS } from '../../aws/action-catalogue';
import type { PermissionSetSummary, SensitiveSummary, ServiceSummary } from './types';

/**
 * `{permissionSet, services: [{service, name, verdict, levels}], otherServices,
 * sensitive: [{pattern, decision, actions, total, counts, by?, conditions?, resources?}],
 * unknownPolicies, catalogueVersion}`, keys always in this order
 * (docs/permissions.md describes each field).
 */
export function formatPermissionsJson(s: PermissionSetSummary): string {
  const out = {
    permissionSet: s.permissionSet,
    services: s.services.map(serviceJson),
    otherServices: s.otherServices,
    sensitive: s.sensitive.map(sensitiveJson),
    unknownPolicies: [...s.unknownPolicies],
    catalogueVersion: s.catalogueVersion,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

function serviceJson(s: ServiceSummary): Record<string, unknown> {
  const levels = Object.fromEntries(ACCESS_LEVELS.map((l) => {
    const c = s.levels[l];
    return [l, { allowed: c.allowed, conditional: c.conditional, unknown: c.unknown, total: c.total }];
  }));
  return { service: s.service, name: s.name, verdict: s.verdict, levels };
}

function sensitiveJson(h: SensitiveSummary): Record<string, unknown> {
  return {
    pattern: h.pattern,
    decision: h.decision,
    actions: [...h.actions],
    total: h.total,
    counts: { allowed: h.counts.allowed, conditional: h.counts.conditional, unknown: h.counts.unknown },
    ...(h.by !== undefined ? { by: { ...h.by } } : {}),
    ...(h.conditions !== undefined ? { conditions: [...h.conditions] } : {}),
    ...(h.resources !== undefined ? { resources: [...h.resources] } : {}),
  };
}
