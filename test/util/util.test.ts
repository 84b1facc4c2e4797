import { lookupManagedPolicy, managedPolicyCount, partitionOf } from '../../src/aws/managed-policies';
import { foldLogin } from '../../src/model/logins';
import { compileOuGlob } from '../../src/model/selectors';
import { durationSeconds } from '../../src/util/duration';
import { editDistance, suggest } from '../../src/util/suggest';
import { firstInvalidUtf8 } from '../../src/util/utf8';

describe('suggest', () => {
  it('prefers a case-insensitive exact match, then the nearest within a length-scaled distance', () => {
    expect(suggest('readonlyaccess', ['ReadOnlyAccess', 'ReadOnly'])).toEqual(['ReadOnlyAccess']);
    expect(suggest('ReadOnli', ['ReadOnly', 'PowerUser'])).toEqual(['ReadOnly']);
    expect(suggest('membrs', ['members', 'mode'])).toEqual(['members']);
    expect(suggest('xyz', ['members', 'mode'])).toEqual([]);
  });

  it('counts a transposition as one edit', () => {
    expect(editDistance('prdo', 'prod')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('OU globs', () => {
  it.each([
    ['Workloads/*', 'Workloads/Prod', true],
    ['Workloads/*', 'Workloads', false],
    ['Workloads/*', 'Workloads/Prod/Eu', false],
    ['Workloads/**', 'Workloads', true],
    ['Workloads/**', 'Workloads/Prod/Eu', true],
    ['Workloads/**', 'WorkloadsX/Prod', false],
    ['**', 'Root', true],
    ['**/Eu', 'Eu', true],
    ['**/Eu', 'Workloads/Prod/Eu', true],
    ['**/Eu', 'Workloads/Prod/EuX', false],
    ['A/**/B', 'A/B', true],
    ['A/**/B', 'A/x/y/B', true],
    ['Prod.*', 'ProdX', false],
    ['Prod.*', 'Prod.Eu', true],
    ['P*d', 'Prod', true],
  ])('%s against %s: %s', (glob, ou, expected) => {
    expect(compileOuGlob(glob)(ou)).toBe(expected);
  });
});

describe('managed policies', () => {
  it('ships the whole AWS managed policy list', () => {
    expect(managedPolicyCount()).toBe(1452);
  });

  it('resolves names, paths and ARNs in any partition', () => {
    expect(lookupManagedPolicy('ViewOnlyAccess')).toEqual({ ok: true, policy: { name: 'ViewOnlyAccess', path: '/job-function/', arn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess' } });
    expect(lookupManagedPolicy('ReadOnlyAccess', partitionOf('us-gov-west-1'))).toMatchObject({ ok: true, policy: { arn: 'arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess' } });
    expect(lookupManagedPolicy('arn:aws-cn:iam::aws:policy/ReadOnlyAccess')).toMatchObject({ ok: true, policy: { arn: 'arn:aws-cn:iam::aws:policy/ReadOnlyAccess' } });
    expect(lookupManagedPolicy('service-role/AWSConfigRole')).toMatchObject({ ok: true, policy: { arn: 'arn:aws:iam::aws:policy/service-role/AWSConfigRole' } });
  });

  it('does not treat inherited object keys as policies', () => {
    expect(lookupManagedPolicy('constructor')).toMatchObject({ ok: false, reason: 'unknown' });
    expect(lookupManagedPolicy('__proto__')).toMatchObject({ ok: false, reason: 'unknown' });
  });
});

describe('small helpers', () => {
  it('folds logins like Okta: case and accents', () => {
    expect(foldLogin('Zoë.Ångström@Example.COM')).toBe('zoe.angstrom@example.com');
  });

  it('reads PTnHnMnS durations', () => {
    expect(durationSeconds('PT1H30M')).toBe(5400);
    expect(durationSeconds('PT12H')).toBe(43200);
    expect(durationSeconds('P1D')).toBeUndefined();
    expect(durationSeconds('PT')).toBeUndefined();
  });

  it('finds the first invalid UTF-8 byte', () => {
    expect(firstInvalidUtf8(Buffer.from('héllo 🚀'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x80]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xf0, 0x9f, 0x9a]))).toBe(1);
  });
});
