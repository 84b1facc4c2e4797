// The text reporter ends every diagnostic with where its code is documented
// (issue 22): the heading of the code in docs/errors.md, or of the guardrail
// rule in docs/rules.md, by the anchor GitHub gives that heading.
import { CODES } from '../../src/codes';
import { diag, type Diagnostic } from '../../src/diagnostics';
import { generatedFiles } from '../../src/generated';
import { RULE_IDS } from '../../src/guardrails/registry';
import { formatDiagnosticsGithub } from '../../src/reporters/diagnostics/github';
import { formatDiagnosticsJson } from '../../src/reporters/diagnostics/json';
import { docsLink, formatDiagnosticsText } from '../../src/reporters/diagnostics/text';

const AT = { file: 'access/groups/g.yaml', line: 5, column: 20 };
const UNKNOWN_ACCOUNT = diag('ACC041', AT, 'unknown account "prd"', 'did you mean "prod"?');
const FINDING: Diagnostic = { code: 'group-owner', severity: 'error', file: 'access/groups/g.yaml', line: 1, column: 1, message: 'group "g" has no owner', hint: 'add owners', subject: 'g' };

/** The anchor GitHub gives a Markdown heading: lower case, punctuation but - and _ removed, spaces as -. */
function githubAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

describe('text diagnostics', () => {
  it('end with a line naming the documentation of their code', () => {
    expect(formatDiagnosticsText([UNKNOWN_ACCOUNT, FINDING])).toBe(
      'access/groups/g.yaml:5:20 error ACC041 unknown account "prd"\n' +
        '  hint: did you mean "prod"?\n' +
        '  see docs/errors.md#acc041\n' +
        'access/groups/g.yaml:1:1 error group-owner group "g" has no owner\n' +
        '  subject: g\n' +
        '  hint: add owners\n' +
        '  see docs/rules.md#group-owner\n',
    );
  });

  it('link to a heading that the generated docs have, for every code and every guardrail rule', () => {
    const anchors = (file: string): Set<string> =>
      new Set(generatedFiles().get(file)!.split('\n').filter((l) => l.startsWith('## ')).map((l) => `${file}#${githubAnchor(l.slice(3))}`));
    const documented = new Set([...anchors('docs/errors.md'), ...anchors('docs/rules.md')]);
    const links = [...Object.keys(CODES), ...RULE_IDS].map((code) => [code, docsLink(code)]);
    expect(links.filter(([, link]) => link === undefined || !documented.has(link))).toEqual([]);
  });

  it('leave the json and github formats as they were', () => {
    expect(formatDiagnosticsJson([UNKNOWN_ACCOUNT])).not.toContain('docs/');
    const many = Array.from({ length: 11 }, (_, i) => diag('ACC041', { ...AT, line: i + 1 }, 'unknown account "prd"'));
    expect(formatDiagnosticsGithub(many)).not.toContain('docs/');
  });
});
