import { formatTable } from '../../src/reporters/table';

describe('formatTable', () => {
  it('pads each column to its widest cell, two spaces apart, no trailing spaces', () => {
    expect(formatTable(['USER', 'ACCOUNT', 'SET'], [['alice', 'prod', 'ReadOnly'], ['bo', 'payments-prod', 'Admin']]))
      .toBe('USER   ACCOUNT        SET\nalice  prod           ReadOnly\nbo     payments-prod  Admin\n');
  });

  it('prints a million rows (the widths are not found by spreading every cell into Math.max)', () => {
    const rows = Array.from({ length: 1_000_000 }, (_, i) => [`user${i}`, 'acct']);
    const out = formatTable(['USER', 'ACCOUNT'], rows);
    expect(out.slice(0, out.indexOf('\n', out.indexOf('\n') + 1))).toBe('USER        ACCOUNT\nuser0       acct');
    expect(out.split('\n')).toHaveLength(1_000_002);
  });
});
