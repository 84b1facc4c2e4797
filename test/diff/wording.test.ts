// Plain words for changes whose first wording read like arithmetic: a grant
// whose account list was edited, a selector that covers fewer accounts, the
// revocation limit of plan-summary.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exampleOrg, run } from '../support/helpers';

const NOW = '2026-11-23T12:00:00Z';

describe('diff words', () => {
  it('an account added to a granted list is one grant that now also covers it', async () => {
    const root = exampleOrg(true);
    const r = await run(['request', '--group', 'aws-payments-admins', '--permission-set', 'PowerUser', '--account', 'payments-prod'], root, NOW);
    expect(r.code).toBe(0);
    const d = await run(['diff', '--base', 'main'], root, NOW);
    expect(d.stdout).toContain("  ~ aws-payments-admins's PowerUser on [payments-staging] (now [payments-prod, payments-staging]) now also covers payments-prod (123456789012)\n");
    expect(d.stdout).not.toContain('loses the grant');
    expect(d.stdout).not.toContain('is granted');
  });

  it('an account removed from under a selector is named, not shown as a negative number', async () => {
    const root = exampleOrg(true);
    const accounts = path.join(root, 'access', 'accounts.yaml');
    const text = fs.readFileSync(accounts, 'utf8');
    const entry = /\n  - name: log-archive[\s\S]*?(?=\n  - |\n*$)/.exec(text);
    expect(entry).not.toBeNull();
    fs.writeFileSync(accounts, text.replace(entry![0], ''));
    const d = await run(['diff', '--base', 'main'], root, NOW);
    expect(d.stdout).toMatch(/aws-incident-responders's ReadOnly on \{tags: \{env: prod\}\} no longer covers log-archive \([0-9]{12}\)\n/);
    expect(d.stdout).not.toMatch(/covers -[0-9]/);
  });
});
